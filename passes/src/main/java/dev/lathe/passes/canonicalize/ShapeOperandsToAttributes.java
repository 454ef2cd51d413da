package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic form of a shape op whose shape-deciding operands are inline constants becomes the
 * static form, whose result type inference makes static: {@code nn.squeeze}/{@code nn.unsqueeze}
 * (axes), {@code nn.slice} (starts, ends, axes, steps), {@code nn.split} (split),
 * {@code nn.expand} (shape), {@code nn.tile} (repeats), {@code nn.pad} (pads; the pad value stays
 * an operand), {@code nn.one_hot} (depth), {@code nn.top_k} (k), {@code nn.max_unpool}
 * (output_shape) and {@code nn.constant_of_shape} (shape). A frozen graph input (the CPU
 * backend's specialization) then gives static types all the way to lowering.
 * ({@code nn.reshape} has its own pattern, {@link ReshapeShapeToAttribute}.)
 *
 * <pre>
 * %a = "nn.constant"() {value = dense<[0]> : tensor<1xi64>} ...
 * %y = "nn.squeeze"(%x, %a) : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<?xf32>
 * // becomes
 * %y = "nn.squeeze"(%x) {axes = [0]} : (tensor<1x3xf32>) -> tensor<3xf32>
 * </pre>
 */
public final class ShapeOperandsToAttributes extends RewritePattern {

    /** Per op: the attribute each operand (by index) becomes; null entries stay operands. */
    private static final Map<String, String[]> FORMS = Map.ofEntries(
            Map.entry("nn.squeeze", new String[] {null, "axes"}),
            Map.entry("nn.unsqueeze", new String[] {null, "axes"}),
            Map.entry("nn.slice", new String[] {null, "starts", "ends", "axes", "steps"}),
            Map.entry("nn.split", new String[] {null, "split"}),
            Map.entry("nn.expand", new String[] {null, "shape"}),
            Map.entry("nn.tile", new String[] {null, "repeats"}),
            Map.entry("nn.pad", new String[] {null, "pads", null}),
            Map.entry("nn.one_hot", new String[] {null, null, "depth"}),
            Map.entry("nn.max_unpool", new String[] {null, null, "output_shape"}),
            Map.entry("nn.constant_of_shape", new String[] {"shape"}),
            Map.entry("nn.top_k", new String[] {null, "k"}));

    /** Attributes that take a single integer rather than an array. */
    private static final List<String> SCALARS = List.of("depth", "k");

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        String[] form = FORMS.get(op.name());
        if (form == null || op.numOperands() <= firstAttributeOperand(form) || hasStaticForm(op, form)) {
            return false;
        }
        Map<String, Attribute> attrs = new HashMap<>(op.attributes());
        List<Value> operands = new ArrayList<>();
        for (int i = 0; i < op.numOperands(); i++) {
            String name = i < form.length ? form[i] : null;
            if (name == null) {
                operands.add(op.operand(i));
                continue;
            }
            DenseElementsAttr value = StaticForm.constant(op.operand(i));
            if (value == null) {
                return rewriter.notifyMatchFailure(op, "operand #" + i + " (" + name + ") is not an inline constant");
            }
            attrs.put(name, SCALARS.contains(name) ? IntegerAttr.of(value.getLong(0)) : ArrayAttr.ofLongs(value.toLongs()));
        }
        return StaticForm.replace(op, operands, attrs, "operands", rewriter);
    }

    private static int firstAttributeOperand(String[] form) {
        for (int i = 0; i < form.length; i++) {
            if (form[i] != null) {
                return i;
            }
        }
        return form.length;
    }

    /** Whether some attribute of the static form is already set (then the operands mean something else). */
    private static boolean hasStaticForm(Operation op, String[] form) {
        for (String name : form) {
            if (name != null && op.attr(name) != null) {
                return true;
            }
        }
        return false;
    }
}
