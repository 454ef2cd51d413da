package dev.lathe.ir;

import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ValueTypes;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the structural rules every module must satisfy: registered ops, each op's schema,
 * terminators, symbol uniqueness, result types against type inference, each op's own rules,
 * and SSA dominance. Diagnostics name the op's location and say what was expected.
 */
public final class Verifier {

    private final boolean allowUnregistered;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private Verifier(boolean allowUnregistered) {
        this.allowUnregistered = allowUnregistered;
    }

    public static List<Diagnostic> verify(Module module, boolean allowUnregistered) {
        List<Diagnostic> ds = new ArrayList<>(verify(module.op(), allowUnregistered));
        module.walk(op -> {
            for (Attribute a : op.attributes().values()) {
                checkResources(module, op, a, ds);
            }
        });
        return ds;
    }

    /** A {@code dense_resource} must name a blob of the module that holds exactly its elements. */
    private static void checkResources(Module module, Operation op, Attribute a, List<Diagnostic> ds) {
        if (a instanceof ArrayAttr arr) {
            arr.elements().forEach(e -> checkResources(module, op, e, ds));
        } else if (a instanceof DenseResourceAttr r) {
            ResourceBlob blob = module.resource(r.name());
            String where = "'" + op.name() + "' op refers to resource '" + r.name() + "'";
            if (blob == null) {
                ds.add(Diagnostic.error(op.location(), where + " that the module does not define"));
            } else if (!r.type().hasStaticShape()) {
                ds.add(Diagnostic.error(op.location(), where + " with dynamic type " + r.type().text()));
            } else if (blob.size() != r.type().numElements() * r.type().elementType().byteSize()) {
                ds.add(Diagnostic.error(op.location(), where + " of " + blob.size() + " bytes, but "
                        + r.type().text() + " needs " + r.type().numElements() * r.type().elementType().byteSize()));
            }
        }
    }

    public static List<Diagnostic> verify(Operation root, boolean allowUnregistered) {
        Verifier v = new Verifier(allowUnregistered);
        v.verifyOp(root);
        return v.diagnostics;
    }

    /** Throws {@link DiagnosticException} with every problem found, if any. */
    public static void verifyOrThrow(Module module, boolean allowUnregistered) {
        List<Diagnostic> ds = verify(module, allowUnregistered);
        if (!ds.isEmpty()) {
            throw new DiagnosticException(ds);
        }
    }

    private void error(Operation op, String message) {
        diagnostics.add(Diagnostic.error(op.location(), "'" + op.name() + "' op " + message));
    }

    private void verifyOp(Operation op) {
        boolean ok = verifyDominance(op);
        OpDefinition def = op.definition();
        if (def == null) {
            if (!allowUnregistered) {
                error(op, "is not registered (a dialect must define it; --allow-unregistered accepts unknown ops)");
            }
        } else if (ok && verifySchema(op, def.schema())) {
            verifyTraits(op);
            verifyDefinition(op, def);
        }
        for (Region r : op.regions()) {
            for (Block b : r.blocks()) {
                for (Operation child = b.first(); child != null; child = child.nextOp()) {
                    verifyOp(child);
                }
            }
        }
    }

    private boolean verifySchema(Operation op, OpSchema schema) {
        int n = op.numOperands();
        if (n < schema.minOperands() || (schema.maxOperands() != OpSchema.VARIADIC && n > schema.maxOperands())) {
            error(op, "expects " + schema.operandCountText() + " operands, found " + n);
            return false;
        }
        if (schema.numResults() != OpSchema.VARIADIC && op.numResults() != schema.numResults()) {
            error(op, "expects " + schema.numResults() + " results, found " + op.numResults());
            return false;
        }
        if (op.regions().size() != schema.numRegions()) {
            error(op, "expects " + schema.numRegions() + " regions, found " + op.regions().size());
            return false;
        }
        Set<String> known = new HashSet<>();
        for (AttrSpec spec : schema.attributes()) {
            known.add(spec.name());
            Attribute a = op.attr(spec.name());
            if (a == null) {
                if (spec.required()) {
                    error(op, "requires attribute '" + spec.name() + "'");
                    return false;
                }
            } else if (!spec.kind().isInstance(a)) {
                error(op, "attribute '" + spec.name() + "' must be " + kindName(spec.kind()) + ", found " + a.text());
                return false;
            }
        }
        if (schema.closed()) {
            for (String key : op.attributes().keySet()) {
                if (!known.contains(key)) {
                    error(op, "does not accept attribute '" + key + "'");
                    return false;
                }
            }
        }
        return true;
    }

    static String kindName(Class<? extends Attribute> kind) {
        String s = kind.getSimpleName().replace("Attr", "");
        return switch (s) {
            case "Integer" -> "an integer";
            case "Array" -> "an array";
            case "DenseElements" -> "a dense elements attribute";
            case "Unit" -> "a unit attribute";
            default -> "a " + s.toLowerCase() + " attribute";
        };
    }

    private void verifyTraits(Operation op) {
        if (op.hasTrait(Trait.TERMINATOR) && op.block() != null && op.block().last() != op) {
            error(op, "must be the last operation of its block");
        }
        if (op.hasTrait(Trait.SYMBOL_TABLE)) {
            Set<String> names = new HashSet<>();
            for (Region r : op.regions()) {
                for (Block b : r.blocks()) {
                    for (Operation child : b.operations()) {
                        if (child.attr("sym_name") instanceof StringAttr s && !names.add(s.value())) {
                            error(child, "redefines symbol '@" + s.value() + "'");
                        }
                    }
                }
            }
        }
    }

    private void verifyDefinition(Operation op, OpDefinition def) {
        try {
            List<Type> inferred = def.inferResultTypes(op.operandTypes(), op.attributes());
            if (inferred != null) {
                checkInferredTypes(op, inferred);
            }
            def.verify(op);
        } catch (InvalidOpException e) {
            error(op, e.getMessage());
        }
    }

    private void checkInferredTypes(Operation op, List<Type> inferred) {
        if (inferred.size() != op.numResults()) {
            error(op, "has " + op.numResults() + " results but its operands give " + inferred.size());
            return;
        }
        for (int i = 0; i < inferred.size(); i++) {
            Type actual = op.result(i).type();
            Type expected = inferred.get(i);
            boolean ok = actual == expected || ValueTypes.isCompatible(actual, expected);
            if (!ok) {
                error(op, "result #" + i + " has type " + actual.text() + " but its operands and attributes give "
                        + expected.text());
            }
        }
    }

    /** Every operand must be defined before its use, in the same block or an enclosing one. */
    private boolean verifyDominance(Operation op) {
        boolean ok = true;
        for (OpOperand use : op.opOperands()) {
            Value v = use.get();
            String problem = dominanceProblem(v, op);
            if (problem != null) {
                error(op, "operand #" + use.index() + " " + problem);
                ok = false;
            }
        }
        return ok;
    }

    private static String dominanceProblem(Value v, Operation user) {
        Block defBlock = v.parentBlock();
        if (defBlock == null) {
            return "uses a value whose defining operation was erased or never inserted";
        }
        // Find the ancestor of the user that lives in the defining block, without leaving an op
        // whose regions are isolated from above.
        Operation ancestor = user;
        while (ancestor != null && ancestor.block() != defBlock) {
            Operation parent = ancestor.parentOp();
            if (parent != null && parent.hasTrait(Trait.ISOLATED_FROM_ABOVE) && isDefinedAbove(defBlock, parent)) {
                return "uses " + describe(v) + " defined outside its isolated parent '" + parent.name() + "'";
            }
            ancestor = parent;
        }
        if (ancestor == null) {
            return "uses " + describe(v) + " that is not visible here (defined in another region or block)";
        }
        if (v instanceof OpResult r) {
            if (r.owner() == ancestor) {
                return "uses a result of its own operation";
            }
            if (!r.owner().isBeforeInBlock(ancestor)) {
                return "uses " + describe(v) + " before it is defined";
            }
        }
        return null;
    }

    /** Whether {@code block} encloses {@code op}, so leaving {@code op} is needed to reach it. */
    private static boolean isDefinedAbove(Block block, Operation op) {
        for (Operation o = op; o != null; o = o.parentOp()) {
            if (o.block() == block) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Value v) {
        if (v instanceof OpResult r) {
            return "result #" + r.index() + " of '" + r.owner().name() + "' at " + r.owner().location();
        }
        return "argument #" + ((BlockArgument) v).index() + " of another block";
    }
}
