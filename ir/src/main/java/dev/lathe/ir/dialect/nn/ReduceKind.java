package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.type.ScalarType;
import java.math.BigInteger;

/**
 * The reductions of the {@code nn.reduce_*} family other than {@code nn.reduce_sum}: the function
 * of one group's values, for floats (in double, rounded once to the element type by the caller)
 * and for integers (64 bits, wrapped to the element width by the caller).
 *
 * <p>Empty groups (a reduced dim of size 0) give the identity of the reduction, as ONNX (opset
 * 18) specifies: max {@code -inf} (integers: the type's minimum), min {@code +inf} (the
 * maximum), prod 1, l1, l2 and sum_square 0, log_sum and log_sum_exp {@code -inf}, mean NaN. An
 * integer mean of nothing is undefined: it throws {@link ArithmeticException}.
 *
 * <p>Integer l2, log_sum and log_sum_exp are computed in double and truncated toward zero (as
 * ONNX's reference, which casts numpy's float result); integer mean is the exact mean truncated
 * toward zero; the others are exact in the element width (wrapping). max and min propagate NaN.
 */
enum ReduceKind {
    MEAN("nn.reduce_mean", "mean") {
        @Override double reduce(double[] v) {
            return sum(v) / v.length;
        }

        @Override long reduce(long[] v, ScalarType t) {
            if (v.length == 0) {
                throw new ArithmeticException("'nn.reduce_mean': integer mean of no elements");
            }
            BigInteger s = BigInteger.ZERO;
            for (long x : v) {
                s = s.add(t == ScalarType.U64 ? new BigInteger(Long.toUnsignedString(x)) : BigInteger.valueOf(x));
            }
            return s.divide(BigInteger.valueOf(v.length)).longValue(); // BigInteger divides toward zero
        }
    },
    MAX("nn.reduce_max", "maximum") {
        @Override double reduce(double[] v) {
            double m = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                m = Double.isNaN(x) || Double.isNaN(m) ? Double.NaN : Math.max(m, x);
            }
            return m;
        }

        @Override long reduce(long[] v, ScalarType t) {
            long m = lowest(t);
            for (long x : v) {
                m = compare(x, m, t) > 0 ? x : m;
            }
            return m;
        }
    },
    MIN("nn.reduce_min", "minimum") {
        @Override double reduce(double[] v) {
            double m = Double.POSITIVE_INFINITY;
            for (double x : v) {
                m = Double.isNaN(x) || Double.isNaN(m) ? Double.NaN : Math.min(m, x);
            }
            return m;
        }

        @Override long reduce(long[] v, ScalarType t) {
            long m = highest(t);
            for (long x : v) {
                m = compare(x, m, t) < 0 ? x : m;
            }
            return m;
        }
    },
    PROD("nn.reduce_prod", "product") {
        @Override double reduce(double[] v) {
            double p = 1;
            for (double x : v) {
                p *= x;
            }
            return p;
        }

        @Override long reduce(long[] v, ScalarType t) {
            long p = 1;
            for (long x : v) {
                p *= x;
            }
            return p;
        }
    },
    L1("nn.reduce_l1", "sum of absolute values") {
        @Override double reduce(double[] v) {
            double s = 0;
            for (double x : v) {
                s += Math.abs(x);
            }
            return s;
        }

        @Override long reduce(long[] v, ScalarType t) {
            long s = 0;
            for (long x : v) {
                s += t.isUnsigned() ? x : Math.abs(x);
            }
            return s;
        }
    },
    L2("nn.reduce_l2", "square root of the sum of squares") {
        @Override double reduce(double[] v) {
            return Math.sqrt(SUM_SQUARE.reduce(v));
        }
    },
    LOG_SUM("nn.reduce_log_sum", "natural log of the sum") {
        @Override double reduce(double[] v) {
            return Math.log(sum(v));
        }
    },
    LOG_SUM_EXP("nn.reduce_log_sum_exp", "natural log of the sum of exponentials (computed stably)") {
        @Override double reduce(double[] v) {
            double m = MAX.reduce(v);
            if (Double.isInfinite(m) || Double.isNaN(m)) {
                return m; // +inf dominates, all -inf (or nothing) gives -inf, NaN propagates
            }
            double s = 0;
            for (double x : v) {
                s += Math.exp(x - m);
            }
            return m + Math.log(s);
        }
    },
    SUM_SQUARE("nn.reduce_sum_square", "sum of squares") {
        @Override double reduce(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x * x;
            }
            return s;
        }

        @Override long reduce(long[] v, ScalarType t) {
            long s = 0;
            for (long x : v) {
                s += x * x;
            }
            return s;
        }
    };

    final String opName;
    final String description;

    ReduceKind(String opName, String description) {
        this.opName = opName;
        this.description = description;
    }

    /** The reduction of floats, in double. */
    abstract double reduce(double[] v);

    /** The reduction of integers; by default the float one, truncated toward zero. */
    long reduce(long[] v, ScalarType t) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = t == ScalarType.U64 && v[i] < 0 ? ((v[i] >>> 1) | (v[i] & 1)) * 2.0 : v[i]; // u64 above 2^63
        }
        return (long) reduce(d);
    }

    /** Whether booleans are allowed: max and min (ONNX opset 20), which are "any" and "all". */
    boolean acceptsBool() {
        return this == MAX || this == MIN;
    }

    /** A float sum in row-major order from -0.0, the exact identity of + (an empty sum is +0.0). */
    private static double sum(double[] v) {
        double s = NnTypes.sumStart(v.length);
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static int compare(long a, long b, ScalarType t) {
        return t.isUnsigned() ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static long lowest(ScalarType t) {
        return t.isUnsigned() || t == ScalarType.I1 ? 0 : Long.MIN_VALUE >> (64 - 8 * t.byteSize());
    }

    private static long highest(ScalarType t) {
        if (t == ScalarType.I1) {
            return 1;
        }
        long all = -1L >>> (64 - 8 * t.byteSize());
        return t.isUnsigned() ? all : all >>> 1;
    }
}
