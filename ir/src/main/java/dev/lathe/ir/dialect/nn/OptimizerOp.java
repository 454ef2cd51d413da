package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a training optimizer, the ops of ONNX's {@code ai.onnx.preview.training} domain:
 * {@code nn.adagrad}, {@code nn.adam}, {@code nn.momentum}, one table-driven family. Operands:
 * the learning rate {@code r} (one float), the step count {@code t} (one i64), then {@code n}
 * tensors {@code X1..Xn}, their gradients {@code G1..Gn} and each state in turn ({@code H1..Hn}
 * for adagrad, {@code V1..Vn, H1..Hn} for adam, {@code V1..Vn} for momentum). Results: the new
 * {@code X1..Xn}, then the new states in the same order. Every tensor of one index has one shape;
 * float element types. With {@code g = norm_coefficient·x + g}:
 * <ul>
 *   <li>adagrad ({@code decay_factor}, {@code epsilon}, {@code norm_coefficient}, all default 0):
 *       {@code h' = h + g²}, {@code x' = x - r / (1 + t·decay_factor) · g / (sqrt(h') + epsilon)};</li>
 *   <li>adam ({@code alpha} 0.9, {@code beta} 0.999, {@code epsilon} 1e-6, {@code norm_coefficient},
 *       {@code norm_coefficient_post} 0): {@code v' = alpha·v + (1-alpha)·g},
 *       {@code h' = beta·h + (1-beta)·g²}, {@code r' = t > 0 ? r·sqrt(1-beta^t)/(1-alpha^t) : r},
 *       {@code x' = (1 - norm_coefficient_post)·(x - r'·v'/(sqrt(h') + epsilon))};</li>
 *   <li>momentum ({@code alpha}, {@code beta}, {@code norm_coefficient} required, {@code mode}
 *       {@code "standard"} or {@code "nesterov"}): {@code v' = alpha·v + (t > 0 ? beta : 1)·g},
 *       {@code x' = x - r·v'} (standard) or {@code x - r·(g + alpha·v')} (nesterov).</li>
 * </ul>
 * Every element in double, rounded once per result.
 * {@code %x1, %h1 = "nn.adagrad"(%r, %t, %x, %g, %h) {epsilon = 1.0e-05 : f32} : (tensor<f32>,
 * tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)}
 */
public final class OptimizerOp extends AbstractOpDefinition {

    /** The optimizers: nn name and the number of state tensors per optimized tensor. */
    public enum Kind {
        ADAGRAD("nn.adagrad", 1),
        ADAM("nn.adam", 2),
        MOMENTUM("nn.momentum", 1);

        public final String opName;
        final int states;

        Kind(String opName, int states) {
            this.opName = opName;
            this.states = states;
        }
    }

    private final Kind kind;

    public OptimizerOp(Kind kind) {
        super(kind.opName, "one " + kind.name().toLowerCase() + " optimizer step",
                new OpSchema(4 + kind.states, OpSchema.VARIADIC, OpSchema.VARIADIC, 0, List.of(
                        AttrSpec.optional("alpha", FloatAttr.class), AttrSpec.optional("beta", FloatAttr.class),
                        AttrSpec.optional("epsilon", FloatAttr.class), AttrSpec.optional("decay_factor", FloatAttr.class),
                        AttrSpec.optional("norm_coefficient", FloatAttr.class),
                        AttrSpec.optional("norm_coefficient_post", FloatAttr.class),
                        AttrSpec.optional("mode", StringAttr.class)), false),
                Set.of(Trait.PURE));
        this.kind = kind;
    }

    static List<OpDefinition> all() {
        return Arrays.stream(Kind.values()).map(k -> (OpDefinition) new OptimizerOp(k)).toList();
    }

    /** How many tensors are optimized, from the operand count. */
    private int tensors(int operands) {
        int groups = 2 + kind.states;
        if ((operands - 2) % groups != 0 || operands - 2 < groups) {
            throw new InvalidOpException("expects r, t and " + groups + " groups of n tensors, found " + operands
                    + " operands");
        }
        return (operands - 2) / groups;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        int n = tensors(operandTypes.size());
        TensorType r = NnTypes.tensor(operandTypes, 0);
        TensorType t = NnTypes.tensor(operandTypes, 1);
        if (!r.elementType().isFloat() || r.hasStaticShape() && r.numElements() != 1) {
            throw new InvalidOpException("expects the learning rate as one float, found " + r.text());
        }
        if (t.elementType() != ScalarType.I64 || t.hasStaticShape() && t.numElements() != 1) {
            throw new InvalidOpException("expects the step count as one i64, found " + t.text());
        }
        if (kind == Kind.MOMENTUM) {
            for (String required : List.of("alpha", "beta", "norm_coefficient", "mode")) {
                if (!attributes.containsKey(required)) {
                    throw new InvalidOpException("expects attribute '" + required + "', found none");
                }
            }
            ReductionMath.choice(attributes, "mode", "standard", "standard", "nesterov");
        }
        List<Type> results = new ArrayList<>();
        for (int group = 0; group < 2 + kind.states; group++) {
            for (int i = 0; i < n; i++) {
                TensorType x = NnTypes.tensor(operandTypes, 2 + i);
                TensorType other = NnTypes.tensor(operandTypes, 2 + group * n + i);
                ReductionMath.requireFloat(other, "optimized tensors");
                if (!other.equals(x)) {
                    throw new InvalidOpException("expects every tensor of index " + i + " to have type " + x.text()
                            + ", found " + other.text() + " (operand #" + (2 + group * n + i) + ")");
                }
                if (group != 1) {
                    results.add(x);
                }
            }
        }
        return results;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        int n = tensors(operands.size());
        Map<String, Attribute> a = op.attributes();
        double r = operands.get(0).getDouble(0);
        long t = operands.get(1).getLong(0);
        double norm = ReductionMath.real(a, "norm_coefficient", 0);
        List<DenseElementsAttr> xs = new ArrayList<>();
        List<DenseElementsAttr> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DenseElementsAttr x = operands.get(2 + i);
            DenseElementsAttr g = operands.get(2 + n + i);
            int size = (int) x.numElements();
            double[] xNew = new double[size];
            double[][] sNew = new double[kind.states][size];
            for (int e = 0; e < size; e++) {
                double xe = x.getDouble(e);
                double ge = norm * xe + g.getDouble(e);
                double s0 = operands.get(2 + 2 * n + i).getDouble(e);
                switch (kind) {
                    case ADAGRAD -> {
                        double rate = r / (1 + t * ReductionMath.real(a, "decay_factor", 0));
                        double h = s0 + ge * ge;
                        sNew[0][e] = h;
                        xNew[e] = xe - rate * ge / (Math.sqrt(h) + ReductionMath.real(a, "epsilon", 0));
                    }
                    case ADAM -> {
                        double alpha = ReductionMath.real(a, "alpha", 0.9);
                        double beta = ReductionMath.real(a, "beta", 0.999);
                        double v = alpha * s0 + (1 - alpha) * ge;
                        double h = beta * operands.get(2 + 3 * n + i).getDouble(e) + (1 - beta) * ge * ge;
                        double rate = t > 0 ? r * Math.sqrt(1 - Math.pow(beta, t)) / (1 - Math.pow(alpha, t)) : r;
                        double step = xe - rate * (v / (Math.sqrt(h) + ReductionMath.real(a, "epsilon", 1e-6)));
                        sNew[0][e] = v;
                        sNew[1][e] = h;
                        xNew[e] = (1 - ReductionMath.real(a, "norm_coefficient_post", 0)) * step;
                    }
                    case MOMENTUM -> {
                        double alpha = ReductionMath.real(a, "alpha", 0);
                        double v = alpha * s0 + (t > 0 ? ReductionMath.real(a, "beta", 0) : 1) * ge;
                        sNew[0][e] = v;
                        boolean nesterov = ReductionMath.choice(a, "mode", "standard", "standard", "nesterov")
                                .equals("nesterov");
                        xNew[e] = xe - r * (nesterov ? ge + alpha * v : v);
                    }
                }
            }
            long[] shape = x.type().shapeArray();
            xs.add(NnTypes.floats(x.elementType(), shape, xNew));
            for (double[] s : sNew) {
                states.add(NnTypes.floats(x.elementType(), shape, s));
            }
        }
        List<DenseElementsAttr> results = new ArrayList<>(xs);
        for (int s = 0; s < kind.states; s++) {
            for (int i = 0; i < n; i++) {
                results.add(states.get(i * kind.states + s));
            }
        }
        return results;
    }
}
