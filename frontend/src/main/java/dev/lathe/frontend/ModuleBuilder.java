package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.BlockContext;
import dev.lathe.frontend.LatheIRParser.CallOpContext;
import dev.lathe.frontend.LatheIRParser.FileContext;
import dev.lathe.frontend.LatheIRParser.FuncOpContext;
import dev.lathe.frontend.LatheIRParser.GenericOpContext;
import dev.lathe.frontend.LatheIRParser.LocationContext;
import dev.lathe.frontend.LatheIRParser.ModuleOpContext;
import dev.lathe.frontend.LatheIRParser.NamedArgContext;
import dev.lathe.frontend.LatheIRParser.OperationContext;
import dev.lathe.frontend.LatheIRParser.OpFormContext;
import dev.lathe.frontend.LatheIRParser.RegionContext;
import dev.lathe.frontend.LatheIRParser.ResultDeclContext;
import dev.lathe.frontend.LatheIRParser.ReturnOpContext;
import dev.lathe.frontend.LatheIRParser.ValueUseContext;
import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds a {@link Module} from a parse tree: resolves SSA names through {@link ValueScope}s,
 * checks every use against the type the op's signature declares, and keeps each name as the
 * value's name hint. It never runs the verifier. An error abandons the op it is in; building
 * goes on with the next op, so one parse can report several errors.
 */
final class ModuleBuilder {

    private final Problems problems;
    private final Literals literals;
    private final TypeReader types;
    private AttributeReader attributes;

    ModuleBuilder(Problems problems) {
        this.problems = problems;
        this.literals = new Literals(problems);
        this.types = new TypeReader(problems);
    }

    Module build(FileContext file) {
        ModuleOpContext m = file.moduleOp();
        Location loc = Location.of(problems.fileName(), 1, 1);
        try {
            loc = m == null ? problems.at(file.getStart()) : location(m.location(), m.getStart());
        } catch (ParseFailure f) {
            problems.record(f);
        }
        Module module = Module.create(loc);
        attributes = new AttributeReader(problems, literals, types, module.resources());
        if (file.resourceSection() != null) { // first, so that dense_resource names can be checked
            new ResourceSectionReader(problems, attributes).read(file.resourceSection(), module);
        }
        if (m != null && m.attrDict() != null) {
            try {
                attributes.dictionary(m.attrDict()).forEach(module.op()::setAttr);
            } catch (ParseFailure f) {
                problems.record(f);
            }
        }
        // The module body is one scope, as the printer names it; functions open their own.
        ValueScope top = ValueScope.root();
        for (OperationContext op : m == null ? file.operation() : m.operation()) {
            operation(op, module.body(), top);
        }
        return module;
    }

    // ---- operations

    private void operation(OperationContext ctx, Block block, ValueScope scope) {
        ResultDeclContext results = ctx.resultDecl();
        try {
            Location loc = location(ctx.location(), ctx.getStart());
            Operation op = switch (form(ctx.opForm())) {
                case FuncOpContext f -> func(f, results, loc);
                case ReturnOpContext r -> funcReturn(r, results, loc, scope);
                case CallOpContext c -> call(c, results, loc, scope);
                case GenericOpContext g -> generic(g, results, loc, scope);
                default -> throw new IllegalStateException("unhandled op form");
            };
            block.append(op);
            defineResults(results, op, scope);
        } catch (ParseFailure f) {
            problems.record(f);
            poisonResults(results, scope);
        } catch (RuntimeException e) { // an IR constructor refused something the checks above missed
            problems.error(problems.at(ctx), "cannot build this operation: " + e.getMessage());
            poisonResults(results, scope);
        }
    }

    private static ParserRuleContext form(OpFormContext ctx) {
        return (ParserRuleContext) ctx.getChild(0);
    }

    private Operation generic(GenericOpContext ctx, ResultDeclContext results, Location loc, ValueScope scope) {
        String name = literals.string(ctx.STRING().getSymbol());
        if (name.isEmpty()) {
            throw problems.fail(problems.at(ctx), "operation name must not be empty");
        }
        FunctionType sig = types.functionType(ctx.functionType());
        List<Value> operands = operands(ctx.operandList().valueUse(), sig.inputs(), ctx.operandList(),
                "'" + name + "'", scope);
        checkResultCount(results, sig.results().size(), "'" + name + "'", ctx);
        Map<String, Attribute> attrs = attributes.dictionary(ctx.attrDict());
        List<RegionContext> regions = ctx.regionList() == null ? List.of() : ctx.regionList().region();
        Operation op = Operation.create(name, operands, sig.results(), attrs, regions.size(), loc);
        boolean isolated = op.hasTrait(Trait.ISOLATED_FROM_ABOVE);
        for (int i = 0; i < regions.size(); i++) {
            region(regions.get(i), op.region(i), isolated ? ValueScope.root() : scope.child());
        }
        return op;
    }

    private Operation call(CallOpContext ctx, ResultDeclContext results, Location loc, ValueScope scope) {
        String callee = literals.symbol(ctx.SYMBOL().getSymbol());
        FunctionType sig = types.functionType(ctx.functionType());
        List<Value> operands = operands(ctx.operandList().valueUse(), sig.inputs(), ctx.operandList(),
                "call of '@" + callee + "'", scope);
        checkResultCount(results, sig.results().size(), "call of '@" + callee + "'", ctx);
        return FuncOps.createCall(callee, operands, sig.results(), loc);
    }

    private Operation funcReturn(ReturnOpContext ctx, ResultDeclContext results, Location loc, ValueScope scope) {
        if (results != null) {
            throw problems.fail(problems.at(results), "func.return has no results to name");
        }
        List<Type> declared = types.types(ctx.type());
        if (declared.size() != ctx.valueUse().size()) {
            throw problems.fail(problems.at(ctx.type(0)), "func.return has " + ctx.valueUse().size()
                    + " operand" + (ctx.valueUse().size() == 1 ? "" : "s") + " but lists " + declared.size() + " type"
                    + (declared.size() == 1 ? "" : "s"));
        }
        return FuncOps.createReturn(operands(ctx.valueUse(), declared, ctx, "func.return", scope), loc);
    }

    private Operation func(FuncOpContext ctx, ResultDeclContext results, Location loc) {
        if (results != null) {
            throw problems.fail(problems.at(results), "func.func has no results to name");
        }
        String name = literals.symbol(ctx.SYMBOL().getSymbol());
        List<NamedArgContext> named = ctx.funcArgs() == null ? List.of() : ctx.funcArgs().namedArg();
        List<Type> inputs = new ArrayList<>();
        if (ctx.funcArgs() != null) {
            inputs.addAll(named.isEmpty() ? types.types(ctx.funcArgs().type()) : argTypes(named));
        }
        List<Type> resultTypes = ctx.resultTypes() == null ? List.of() : types.resultTypes(ctx.resultTypes());
        FunctionType type = FunctionType.of(inputs, resultTypes);
        Map<String, Attribute> attrs = attributes.dictionary(ctx.attrDict());
        for (String implied : List.of("sym_name", "function_type")) {
            if (attrs.containsKey(implied)) {
                throw problems.fail(problems.at(ctx.attrDict()), "attribute '" + implied
                        + "' of func.func is written by its syntax, not in 'attributes {...}'");
            }
        }
        Operation fn;
        if (ctx.region() == null) {
            if (!named.isEmpty()) {
                throw problems.fail(problems.at(named.get(0)), "declaration of '@" + name
                        + "' has no body, so its arguments take types only, not names");
            }
            fn = FuncOps.createDeclaration(name, type, loc);
        } else {
            if (named.isEmpty() && !inputs.isEmpty()) {
                throw problems.fail(problems.at(ctx.funcArgs()), "function '@" + name
                        + "' has a body, so its arguments need names: (%name: type)");
            }
            fn = FuncOps.createFunc(name, type, loc);
            functionBody(ctx.region(), fn, named);
        }
        attrs.forEach(fn::setAttr);
        return fn;
    }

    private List<Type> argTypes(List<NamedArgContext> named) {
        List<Type> out = new ArrayList<>(named.size());
        for (NamedArgContext a : named) {
            out.add(types.type(a.type()));
        }
        return out;
    }

    // ---- regions and blocks

    /** A function's body: values are isolated from above, and the entry block holds the arguments. */
    private void functionBody(RegionContext ctx, Operation fn, List<NamedArgContext> named) {
        ValueScope scope = ValueScope.root();
        Block entry = fn.region(0).entryBlock();
        for (int i = 0; i < named.size(); i++) {
            defineArgument(named.get(i), entry.argument(i), scope);
        }
        List<BlockContext> blocks = ctx.block();
        int next = 0;
        if (ctx.operation().isEmpty() && !blocks.isEmpty()) {
            // The printer labels an empty entry block, repeating the signature's arguments.
            BlockContext label = blocks.get(0);
            List<NamedArgContext> repeated = label.blockArgs() == null ? List.of() : label.blockArgs().namedArg();
            if (!sameArguments(repeated, named)) {
                throw problems.fail(problems.at(label), "the entry block of '@" + FuncOps.name(fn)
                        + "' must repeat the function's arguments " + argumentText(named) + ", found "
                        + argumentText(repeated));
            }
            operations(label.operation(), entry, scope);
            next = 1;
        } else {
            operations(ctx.operation(), entry, scope);
        }
        blocks(blocks.subList(next, blocks.size()), fn.region(0), scope, new HashSet<>());
    }

    private boolean sameArguments(List<NamedArgContext> a, List<NamedArgContext> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).VALUE_ID().getText().equals(b.get(i).VALUE_ID().getText())
                    || types.type(a.get(i).type()) != types.type(b.get(i).type())) {
                return false;
            }
        }
        return true;
    }

    private static String argumentText(List<NamedArgContext> args) {
        List<String> parts = new ArrayList<>();
        for (NamedArgContext a : args) {
            parts.add(a.VALUE_ID().getText() + ": " + a.type().getText());
        }
        return "(" + String.join(", ", parts) + ")";
    }

    /** A region of a generic op: unlabelled leading ops form the entry block; {@code { }} has no blocks. */
    private void region(RegionContext ctx, Region region, ValueScope scope) {
        if (!ctx.operation().isEmpty()) {
            operations(ctx.operation(), region.addBlock(), scope);
        }
        blocks(ctx.block(), region, scope, new HashSet<>());
    }

    private void blocks(List<BlockContext> blocks, Region region, ValueScope scope, Set<String> labels) {
        for (BlockContext b : blocks) {
            Token label = b.BLOCK_ID().getSymbol();
            if (!labels.add(label.getText())) {
                problems.error(problems.at(label), "redefinition of block "
                        + Problems.quoteForMessage(label.getText()));
            }
            Block block = region.addBlock();
            if (b.blockArgs() != null) {
                for (NamedArgContext a : b.blockArgs().namedArg()) {
                    try {
                        defineArgument(a, block.addArgument(types.type(a.type())), scope);
                    } catch (ParseFailure f) {
                        problems.record(f);
                    }
                }
            }
            operations(b.operation(), block, scope);
        }
    }

    private void operations(List<OperationContext> ops, Block block, ValueScope scope) {
        for (OperationContext op : ops) {
            operation(op, block, scope);
        }
    }

    // ---- values

    private void defineArgument(NamedArgContext ctx, Value arg, ValueScope scope) {
        Token id = ctx.VALUE_ID().getSymbol();
        String name = plainName(id, "argument");
        arg.setNameHint(name);
        define(id, name, List.of(arg), scope);
    }

    private void defineResults(ResultDeclContext ctx, Operation op, ValueScope scope) {
        if (ctx == null) {
            return;
        }
        Token id = ctx.VALUE_ID().getSymbol();
        String name = plainName(id, "result");
        op.result(0).setNameHint(name);
        define(id, name, op.results(), scope);
    }

    private void define(Token id, String name, List<? extends Value> values, ValueScope scope) {
        ValueScope.Definition earlier = scope.define(name, values, problems.at(id));
        if (earlier != null) {
            String where = earlier.where() instanceof Location.FileLineCol f ? f.line() + ":" + f.column() : "?";
            problems.error(problems.at(id), "redefinition of value '%" + name + "' (first defined at " + where + ")");
        }
    }

    /** After a failed op its names still count as defined, so their uses raise no second error. */
    private void poisonResults(ResultDeclContext ctx, ValueScope scope) {
        if (ctx != null) {
            String text = ctx.VALUE_ID().getText();
            scope.define(text.substring(1), null, problems.at(ctx));
        }
    }

    private String plainName(Token id, String what) {
        String name = id.getText().substring(1);
        if (name.indexOf('#') >= 0) {
            throw problems.fail(problems.at(id), what + " name " + Problems.quoteForMessage(id.getText())
                    + " cannot have a '#N' suffix; that form only uses a result of a multi-result op");
        }
        return name;
    }

    /** {@code %x} declares one result, {@code %x:N} declares N; none declares zero. */
    private void checkResultCount(ResultDeclContext ctx, int expected, String what, ParserRuleContext op) {
        int declared = ctx == null ? 0
                : ctx.INT() == null ? 1 : literals.smallInt(ctx.INT().getSymbol(), "result count");
        if (ctx != null && declared == 0) {
            throw problems.fail(problems.at(ctx.INT()), "result count must be at least 1");
        }
        if (declared != expected) {
            String given = ctx == null ? "no result names are given"
                    : "'" + ctx.getText().substring(0, ctx.getText().length() - 1) + "' names " + declared;
            throw problems.fail(problems.at(ctx == null ? op : ctx), "the signature of " + what + " has " + expected
                    + " result" + (expected == 1 ? "" : "s") + ", but " + given);
        }
    }

    private List<Value> operands(List<ValueUseContext> uses, List<Type> expected, ParserRuleContext where,
            String what, ValueScope scope) {
        if (uses.size() != expected.size()) {
            throw problems.fail(problems.at(where), what + " has " + uses.size() + " operand"
                    + (uses.size() == 1 ? "" : "s") + " but its signature lists " + expected.size() + " operand type"
                    + (expected.size() == 1 ? "" : "s"));
        }
        List<Value> out = new ArrayList<>(uses.size());
        for (int i = 0; i < uses.size(); i++) {
            out.add(use(uses.get(i).VALUE_ID().getSymbol(), expected.get(i), scope));
        }
        return out;
    }

    /** Resolves {@code %x} or {@code %x#N}; on an error, records it and stands in a value of the expected type. */
    private Value use(Token id, Type expected, ValueScope scope) {
        String text = id.getText();
        int hash = text.indexOf('#');
        String name = hash < 0 ? text.substring(1) : text.substring(1, hash);
        long index = 0;
        if (hash >= 0) {
            try {
                index = Long.parseLong(text.substring(hash + 1));
            } catch (NumberFormatException e) {
                index = Long.MAX_VALUE;
            }
        }
        ValueScope.Definition d = scope.lookup(name);
        if (d == null) {
            problems.error(problems.at(id), "use of undefined value '%" + name + "'");
        } else if (d.values() != null && index >= d.values().size()) {
            problems.error(problems.at(id), "'" + text + "' refers to result #" + index + " but '%" + name
                    + "' has " + d.values().size() + " result" + (d.values().size() == 1 ? "" : "s"));
        } else if (d.values() != null) {
            Value v = d.values().get((int) index);
            if (v.type() != expected) {
                problems.error(problems.at(id), "'" + text + "' has type " + v.type().text() + " but is used as "
                        + expected.text());
            }
            return v;
        }
        return new Block(List.of(expected)).argument(0);
    }

    // ---- locations

    /** The op's {@code loc(...)}, or else where its text starts. */
    private Location location(LocationContext ctx, Token start) {
        if (ctx == null) {
            return problems.at(start);
        }
        if (ctx.BARE_ID() != null) {
            Token t = ctx.BARE_ID().getSymbol();
            if (!t.getText().equals("unknown")) {
                throw problems.fail(problems.at(t), "expected 'unknown' or a string in loc(...), found "
                        + Problems.quoteForMessage(t.getText()));
            }
            return Location.UNKNOWN;
        }
        String text = literals.string(ctx.STRING().getSymbol());
        if (ctx.INT().isEmpty()) {
            return Location.name(text);
        }
        return Location.of(text, (int) intIn(ctx.INT(0).getSymbol()), (int) intIn(ctx.INT(1).getSymbol()));
    }

    private long intIn(Token t) {
        long v = literals.decimal(t);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw problems.fail(problems.at(t), "location line or column " + v + " does not fit in 32 bits");
        }
        return v;
    }
}
