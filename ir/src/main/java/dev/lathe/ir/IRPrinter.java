package dev.lathe.ir;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.UnitAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Prints IR in MLIR's syntax: {@code module}, {@code func.func}, {@code func.return} and
 * {@code func.call} in their custom forms, every other op in the generic form, attributes sorted
 * by name, and resource blobs in a trailing {@code {-# dialect_resources: ... #-}} section.
 */
public final class IRPrinter {

    /**
     * Printing switches; the defaults print the canonical form that tests compare.
     * {@code externalResources}, when set, takes the blobs it wants out of the text.
     */
    public record Options(boolean printLocations, ExternalResources externalResources) {
        public static final Options DEFAULT = new Options(false);

        public Options(boolean printLocations) {
            this(printLocations, null);
        }
    }

    private final StringBuilder out = new StringBuilder();
    private final Options options;
    private ValueNamer namer = new ValueNamer();
    private final Map<Block, String> blockNames = new HashMap<>();

    private IRPrinter(Options options) {
        this.options = options;
    }

    public static String print(Module module) {
        return print(module, Options.DEFAULT);
    }

    public static String print(Module module, Options options) {
        IRPrinter p = new IRPrinter(options);
        p.printModule(module);
        return p.out.toString();
    }

    /** Prints one op (and what it contains) with fresh value names, for diagnostics and tests. */
    public static String print(Operation op) {
        IRPrinter p = new IRPrinter(Options.DEFAULT);
        p.nameOperandsAsUnknown(op);
        p.printOp(op, 0);
        return p.out.toString();
    }

    private void nameOperandsAsUnknown(Operation op) {
        op.walk(o -> o.operands().forEach(v -> {
            if (!namer.isNamed(v)) {
                namer.assign(v);
            }
        }));
    }

    private void printModule(Module module) {
        Operation op = module.op();
        out.append("module");
        printAttrDictionary(op.attributes(), " attributes ", null);
        out.append(" {\n");
        for (Operation child : module.body().operations()) {
            printOp(child, 2);
        }
        out.append('}');
        printLocation(op);
        out.append('\n');
        printResources(module);
    }

    private void printOp(Operation op, int indent) {
        indent(indent);
        if (!hasCustomForm(op)) {
            printGeneric(op, indent);
        } else if (op.isA(FuncOps.FUNC)) {
            printFunc(op, indent);
        } else if (op.isA(FuncOps.RETURN)) {
            printReturn(op);
        } else {
            printCall(op);
        }
        printLocation(op);
        out.append('\n');
    }

    /**
     * Whether the op is a well-formed func op whose custom form says everything about it;
     * anything else (extra attributes, wrong arity, mismatched signature) prints generically,
     * so printing never loses information or produces text that does not parse.
     */
    private static boolean hasCustomForm(Operation op) {
        switch (op.name()) {
            case FuncOps.FUNC -> {
                if (!(op.attr("sym_name") instanceof StringAttr)
                        || !(op.attr("function_type") instanceof dev.lathe.ir.attr.TypeAttr ta)
                        || !(ta.type() instanceof FunctionType type) || op.regions().size() != 1
                        || op.numResults() != 0 || op.numOperands() != 0 || op.region(0).blocks().size() > 1) {
                    return false;
                }
                if (op.region(0).isEmpty()) {
                    return true;
                }
                List<Type> argTypes = op.region(0).entryBlock().arguments().stream().map(a -> a.type()).toList();
                return argTypes.equals(type.inputs());
            }
            case FuncOps.RETURN -> {
                return op.numResults() == 0 && op.regions().isEmpty() && op.attributes().isEmpty();
            }
            case FuncOps.CALL -> {
                return op.regions().isEmpty() && op.attributes().size() == 1
                        && op.attr("callee") instanceof dev.lathe.ir.attr.SymbolRefAttr;
            }
            default -> {
                return false;
            }
        }
    }

    private void printFunc(Operation op, int indent) {
        FunctionType type = FuncOps.type(op);
        out.append("func.func ").append(new dev.lathe.ir.attr.SymbolRefAttr(FuncOps.name(op)).text()).append('(');
        // A function is isolated from above: its values get names of their own.
        ValueNamer outer = namer;
        namer = new ValueNamer();
        boolean declaration = FuncOps.isDeclaration(op);
        Block entry = declaration ? null : op.region(0).entryBlock();
        for (int i = 0; i < type.inputs().size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            if (entry != null && i < entry.numArguments()) {
                namer.assign(entry.argument(i));
                out.append('%').append(namer.nameOf(entry.argument(i))).append(": ");
            }
            out.append(type.inputs().get(i).text());
        }
        out.append(')');
        if (!type.results().isEmpty()) {
            out.append(" -> ").append(FunctionType.typeList(type.results(), false));
        }
        printAttrDictionary(op.attributes(), " attributes ", List.of("sym_name", "function_type"));
        if (!declaration) {
            out.append(" {\n");
            printBlocks(op.region(0), indent, true);
            indent(indent);
            out.append('}');
        }
        namer = outer;
    }

    private void printReturn(Operation op) {
        out.append("func.return");
        if (op.numOperands() > 0) {
            out.append(' ');
            printOperandList(op);
            out.append(" : ");
            printTypeList(op.operandTypes());
        }
    }

    private void printCall(Operation op) {
        printResultNames(op);
        out.append("func.call ").append(op.attr("callee").text()).append('(');
        printOperandList(op);
        out.append(") : ").append(FunctionType.of(op.operandTypes(), op.resultTypes()).text());
    }

    private void printGeneric(Operation op, int indent) {
        printResultNames(op);
        out.append(StringAttr.quote(op.name())).append('(');
        printOperandList(op);
        out.append(')');
        ValueNamer outer = namer;
        if (op.hasTrait(dev.lathe.ir.dialect.Trait.ISOLATED_FROM_ABOVE)) {
            namer = new ValueNamer();
        }
        if (!op.regions().isEmpty()) {
            out.append(" (");
            for (int i = 0; i < op.regions().size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append("{\n");
                printBlocks(op.region(i), indent, false);
                indent(indent);
                out.append('}');
            }
            out.append(')');
        }
        namer = outer;
        printAttrDictionary(op.attributes(), " ", null);
        out.append(" : ").append(FunctionType.of(op.operandTypes(), op.resultTypes()).text());
    }

    private void printResultNames(Operation op) {
        if (op.numResults() == 0) {
            return;
        }
        namer.assign(op.result(0));
        out.append('%').append(namer.nameOf(op.result(0)));
        if (op.numResults() > 1) {
            out.append(':').append(op.numResults());
        }
        out.append(" = ");
    }

    /** Results after the first are printed as {@code %name#i} of the first result's name. */
    private String valueRef(Value v) {
        if (v instanceof OpResult r && r.index() > 0) {
            return "%" + namer.nameOf(r.owner().result(0)) + "#" + r.index();
        }
        return "%" + namer.nameOf(v);
    }

    private void printOperandList(Operation op) {
        List<Value> operands = op.operands();
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(valueRef(operands.get(i)));
        }
    }

    private void printTypeList(List<Type> types) {
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(types.get(i).text());
        }
    }

    /**
     * Prints the blocks of a region. The entry block gets a label when it has arguments (unless
     * they are a function's, printed in its signature) or no ops, so the text is unambiguous.
     */
    private void printBlocks(Region region, int indent, boolean isFunctionBody) {
        List<Block> blocks = region.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            blockNames.put(blocks.get(i), "bb" + i);
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            boolean label = i > 0 || b.isEmpty() || (!isFunctionBody && b.numArguments() > 0);
            if (label) {
                indent(indent);
                out.append('^').append(blockNames.get(b));
                if (b.numArguments() > 0) {
                    out.append('(');
                    for (int a = 0; a < b.numArguments(); a++) {
                        if (a > 0) {
                            out.append(", ");
                        }
                        BlockArgument arg = b.argument(a);
                        namer.assign(arg);
                        out.append('%').append(namer.nameOf(arg)).append(": ").append(arg.type().text());
                    }
                    out.append(')');
                }
                out.append(":\n");
            }
            for (Operation op : b.operations()) {
                printOp(op, indent + 2);
            }
        }
    }

    private void printAttrDictionary(SortedMap<String, Attribute> attrs, String prefix, List<String> elided) {
        boolean first = true;
        for (Map.Entry<String, Attribute> e : attrs.entrySet()) {
            if (elided != null && elided.contains(e.getKey())) {
                continue;
            }
            out.append(first ? prefix + "{" : ", ");
            first = false;
            String key = e.getKey();
            out.append(Numbers.isBareIdentifier(key) ? key : StringAttr.quote(key));
            if (!(e.getValue() instanceof UnitAttr)) {
                out.append(" = ").append(e.getValue().text());
            }
        }
        if (!first) {
            out.append('}');
        }
    }

    private void printLocation(Operation op) {
        if (!options.printLocations()) {
            return;
        }
        switch (op.location()) {
            case Location.FileLineCol f -> out.append(" loc(").append(StringAttr.quote(f.file())).append(':')
                    .append(f.line()).append(':').append(f.column()).append(')');
            case Location.Name n -> out.append(" loc(").append(StringAttr.quote(n.name())).append(')');
            case Location.Unknown u -> out.append(" loc(unknown)");
        }
    }

    /** Blobs as MLIR writes them: a hex string of a 4-byte little-endian alignment, then the data. */
    private void printResources(Module module) {
        if (module.resources().isEmpty()) {
            return;
        }
        out.append("\n{-#\n  dialect_resources: {\n    builtin: {\n");
        int i = 0;
        for (Map.Entry<String, ResourceBlob> e : module.resources().entrySet()) {
            ResourceBlob blob = e.getValue();
            String key = Numbers.isBareIdentifier(e.getKey()) ? e.getKey() : StringAttr.quote(e.getKey());
            String external = options.externalResources() == null ? null : options.externalResources().place(blob);
            out.append("      ").append(key).append(": \"");
            if (external != null) {
                out.append(external);
            } else {
                int a = blob.alignment();
                byte[] header = {(byte) a, (byte) (a >>> 8), (byte) (a >>> 16), (byte) (a >>> 24)};
                HexFormat hex = HexFormat.of().withUpperCase();
                out.append("0x").append(hex.formatHex(header)).append(hex.formatHex(blob.data()));
            }
            out.append('"');
            out.append(++i < module.resources().size() ? ",\n" : "\n");
        }
        out.append("    }\n  }\n#-}\n");
    }

    private void indent(int n) {
        out.append(" ".repeat(n));
    }
}
