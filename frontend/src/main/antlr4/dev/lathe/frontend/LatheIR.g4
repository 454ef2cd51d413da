/*
 * The text form of Lathe IR: MLIR's syntax as IRPrinter writes it (see docs/ir.md).
 *
 * The grammar only fixes the shape of the text. Everything that needs a table or a number
 * (value names, types of uses, element types, dense literals, string escapes) is checked by
 * ModuleBuilder, which reports located diagnostics. Tokens that are always errors
 * (UNTERMINATED_STRING, UNTERMINATED_TENSOR, UNEXPECTED_CHAR) exist so that the error
 * strategy can say what is wrong instead of "token recognition error".
 */
grammar LatheIR;

// ---- file and module

file
    : moduleOp resourceSection? EOF
    | operation* resourceSection? EOF
    ;

moduleOp
    : 'module' ('attributes' attrDict)? '{' operation* '}' location?
    ;

// ---- operations

operation
    : resultDecl? opForm location?
    ;

/** {@code %x =} or {@code %x:2 =}: names the op's results. */
resultDecl
    : VALUE_ID (':' INT)? '='
    ;

opForm
    : funcOp
    | returnOp
    | callOp
    | genericOp
    ;

funcOp
    : 'func.func' SYMBOL '(' funcArgs? ')' ('->' resultTypes)? ('attributes' attrDict)? region?
    ;

funcArgs
    : namedArg (',' namedArg)*
    | type (',' type)*
    ;

namedArg
    : VALUE_ID ':' type
    ;

returnOp
    : 'func.return' (valueUse (',' valueUse)* ':' type (',' type)*)?
    ;

callOp
    : 'func.call' SYMBOL operandList ':' functionType
    ;

genericOp
    : STRING operandList regionList? attrDict? ':' functionType
    ;

operandList
    : '(' (valueUse (',' valueUse)*)? ')'
    ;

valueUse
    : VALUE_ID
    ;

regionList
    : '(' region (',' region)* ')'
    ;

/** Ops before the first label go to the entry block; {@code { }} is a region without blocks. */
region
    : '{' operation* block* '}'
    ;

block
    : BLOCK_ID blockArgs? ':' operation*
    ;

blockArgs
    : '(' (namedArg (',' namedArg)*)? ')'
    ;

location
    : 'loc' '(' (STRING (':' INT ':' INT)? | BARE_ID) ')'
    ;

// ---- types

type
    : nonFunctionType
    | functionType
    ;

nonFunctionType
    : TENSOR_TYPE
    | MEMREF_TYPE
    | VECTOR_TYPE
    | BARE_ID
    | SEQUENCE_TYPE '<' type '>'
    | OPTIONAL_TYPE '<' type '>'
    ;

functionType
    : '(' (type (',' type)*)? ')' '->' resultTypes
    ;

/** A single non-function result may go without parentheses. */
resultTypes
    : nonFunctionType
    | '(' (type (',' type)*)? ')'
    ;

// ---- attributes

attrDict
    : '{' (attrEntry (',' attrEntry)*)? '}'
    ;

/** A key without a value is a unit attribute. */
attrEntry
    : attrKey ('=' attrValue)?
    ;

attrKey
    : bareWord
    | STRING
    ;

attrValue
    : number (':' type)?                                  # numberAttr
    | STRING                                              # stringAttr
    | ('true' | 'false')                                  # boolAttr
    | 'unit'                                              # unitAttr
    | '[' (attrValue (',' attrValue)*)? ']'               # arrayAttr
    | SYMBOL                                              # symbolAttr
    | 'dense' '<' denseBody '>' ':' type                  # denseAttr
    | 'dense_resource' '<' resourceKey '>' ':' type       # denseResourceAttr
    | type                                                # typeAttr
    ;

number
    : INT
    | HEX_INT
    | FLOAT
    ;

denseBody
    : STRING
    | denseElement
    ;

denseElement
    : number
    | 'true'
    | 'false'
    | '[' (denseElement (',' denseElement)*)? ']'
    ;

// ---- resources: {-# dialect_resources: { builtin: { name: "0x..." } } #-}

resourceSection
    : '{-#' BARE_ID ':' '{' (resourceDialect (',' resourceDialect)*)? '}' '#-}'
    ;

resourceDialect
    : resourceKey ':' '{' (resourceEntry (',' resourceEntry)*)? '}'
    ;

resourceEntry
    : resourceKey ':' STRING
    ;

resourceKey
    : bareWord
    | STRING
    ;

/** Keywords are also valid attribute keys and resource names. */
bareWord
    : BARE_ID
    | 'module' | 'attributes' | 'func.func' | 'func.return' | 'func.call' | 'loc'
    | 'true' | 'false' | 'unit' | 'dense' | 'dense_resource'
    ;

// ---- lexer

/** {@code tensor<2x?x4xf32>} as one token, because {@code 2x4xf32} is no sequence of normal tokens. */
TENSOR_TYPE : 'tensor<' [a-zA-Z0-9?_]* '>' ;
UNTERMINATED_TENSOR : 'tensor<' [a-zA-Z0-9?_]* ;
/** {@code memref<4x8xf32>} and {@code vector<16xf32>}: buffers and vectors of lowered code. */
MEMREF_TYPE : 'memref<' [a-zA-Z0-9?_]* '>' ;
VECTOR_TYPE : 'vector<' [a-zA-Z0-9_]* '>' ;
/** {@code !nn.sequence<tensor<?xf32>>} and {@code !nn.optional<...>}: ONNX sequence and optional values. */
SEQUENCE_TYPE : '!nn.sequence' ;
OPTIONAL_TYPE : '!nn.optional' ;

FLOAT
    : '-'? DIGIT+ '.' DIGIT* EXPONENT?
    | '-'? DIGIT+ EXPONENT
    ;
HEX_INT : '0x' [0-9a-fA-F]+ ;
INT : '-'? DIGIT+ ;

STRING : '"' STRING_CHAR* '"' ;
/** A string (or quoted symbol) that reaches the end of its line without a closing quote. */
UNTERMINATED_STRING : '@'? '"' STRING_CHAR* ;

VALUE_ID : '%' SUFFIX_ID ('#' DIGIT+)? ;
BLOCK_ID : '^' SUFFIX_ID ;
SYMBOL : '@' (SUFFIX_ID | STRING) ;
BARE_ID : [a-zA-Z_] [a-zA-Z0-9_$.]* ;

RESOURCES_BEGIN : '{-#' ;
RESOURCES_END : '#-}' ;
ARROW : '->' ;

LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n\f]+ -> skip ;

/** Anything else; the parser reports it as an unexpected character. */
UNEXPECTED_CHAR : . ;

fragment DIGIT : [0-9] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;
fragment SUFFIX_ID : DIGIT+ | [a-zA-Z_$.\-] [a-zA-Z0-9_$.\-]* ;
fragment STRING_CHAR : ~["\\\r\n] | '\\' ~[\r\n] ;
