package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.InvalidOpException;
import java.util.List;

/**
 * The cell arithmetic of {@link RecurrentOp}: activation functions by name and one time step of
 * an RNN, GRU or LSTM cell for one batch entry, in double.
 */
final class RecurrentCells {

    private RecurrentCells() {}

    /** The activation names ONNX's recurrent ops accept, in Lathe's spelling. */
    static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu", "leaky_relu", "thresholded_relu",
            "scaled_tanh", "hard_sigmoid", "elu", "softsign", "softplus", "affine");

    /** One activation: a named function with its alpha and beta. */
    record Activation(String name, double alpha, double beta) {

        Activation {
            if (!ACTIVATIONS.contains(name)) {
                throw new InvalidOpException("expects activations among " + ACTIVATIONS + ", found '" + name + "'");
            }
        }

        double apply(double x) {
            return switch (name) {
                case "sigmoid" -> 1 / (1 + Math.exp(-x));
                case "tanh" -> Math.tanh(x);
                case "relu" -> Math.max(x, 0);
                case "leaky_relu" -> x >= 0 ? x : alpha * x;
                case "thresholded_relu" -> x > alpha ? x : 0;
                case "scaled_tanh" -> alpha * Math.tanh(beta * x);
                case "hard_sigmoid" -> Math.max(0, Math.min(1, alpha * x + beta));
                case "elu" -> x >= 0 ? x : alpha * (Math.exp(x) - 1);
                case "softsign" -> x / (1 + Math.abs(x));
                case "softplus" -> Math.log1p(Math.exp(x));
                default -> alpha * x + beta; // affine
            };
        }
    }

    /**
     * The weights of one direction: {@code w} {@code [G·H, I]}, {@code r} {@code [G·H, H]},
     * {@code wb}, {@code rb} {@code [G·H]}, {@code p} {@code [3H]} (LSTM peepholes i, o, f), row-major.
     */
    record Weights(double[] w, double[] r, double[] wb, double[] rb, double[] p, int inputSize, int hidden) {

        /** {@code W[row]·x + R[row]·h + wb[row] + rb[row]}, without the {@code R} part when {@code h} is null. */
        double gate(int row, double[] x, double[] h) {
            double s = wb[row] + rb[row];
            for (int i = 0; i < inputSize; i++) {
                s += w[row * inputSize + i] * x[i];
            }
            if (h != null) {
                for (int i = 0; i < hidden; i++) {
                    s += r[row * hidden + i] * h[i];
                }
            }
            return s;
        }

        double recurrent(int row, double[] h) {
            double s = 0;
            for (int i = 0; i < hidden; i++) {
                s += r[row * hidden + i] * h[i];
            }
            return s;
        }
    }

    /** Clip a gate input to {@code [-clip, clip]} (no clip: infinity). */
    private static double clip(double v, double clip) {
        return Math.max(-clip, Math.min(clip, v));
    }

    /** {@code Ht = f(W·x + R·h + Wb + Rb)}; returns the new h. */
    static double[] rnn(Weights k, double[] x, double[] h, List<Activation> f, double clip) {
        double[] out = new double[k.hidden()];
        for (int j = 0; j < out.length; j++) {
            out[j] = f.get(0).apply(clip(k.gate(j, x, h), clip));
        }
        return out;
    }

    /** The GRU step (gates z, r, h); returns the new h. */
    static double[] gru(Weights k, double[] x, double[] h, List<Activation> f, double clip, boolean linearBeforeReset) {
        int n = k.hidden();
        double[] z = new double[n];
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = f.get(0).apply(clip(k.gate(j, x, h), clip));
            r[j] = f.get(0).apply(clip(k.gate(n + j, x, h), clip));
        }
        double[] rh = new double[n];
        for (int j = 0; j < n; j++) {
            rh[j] = r[j] * h[j];
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            int row = 2 * n + j;
            double candidate = linearBeforeReset
                    ? k.gate(row, x, null) - k.rb()[row] + r[j] * (k.recurrent(row, h) + k.rb()[row])
                    : k.gate(row, x, rh);
            double hj = f.get(1).apply(clip(candidate, clip));
            out[j] = (1 - z[j]) * hj + z[j] * h[j];
        }
        return out;
    }

    /** The LSTM step (gates i, o, f, c; peepholes i, o, f); updates {@code c} in place, returns the new h. */
    static double[] lstm(Weights k, double[] x, double[] h, double[] c, List<Activation> f, double clip,
            boolean inputForget) {
        int n = k.hidden();
        double[] p = k.p();
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double i = f.get(0).apply(clip(k.gate(j, x, h) + p[j] * c[j], clip));
            double forget = inputForget ? 1 - i : f.get(0).apply(clip(k.gate(2 * n + j, x, h) + p[2 * n + j] * c[j], clip));
            double candidate = f.get(1).apply(clip(k.gate(3 * n + j, x, h), clip));
            c[j] = forget * c[j] + i * candidate;
            double o = f.get(0).apply(clip(k.gate(n + j, x, h) + p[n + j] * c[j], clip));
            out[j] = o * f.get(2).apply(c[j]);
        }
        return out;
    }
}
