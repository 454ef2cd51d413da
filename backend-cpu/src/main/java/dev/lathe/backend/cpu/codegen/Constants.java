package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.type.ScalarType;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** {@code loop.constant}: a scalar, or the same scalar in every lane. */
final class Constants {

    private Constants() {}

    static LLVMValueRef of(Ir ir, Operation op) {
        LLVMTypeRef type = ir.types.of(op.result().type());
        ScalarType et = Elements.of(op.result().type());
        LLVMTypeRef elementType = ir.types.scalar(et);
        Attribute value = op.attr("value");
        LLVMValueRef scalar = switch (value) {
            // The 64 bits as given: an unsigned value above 2^63 keeps its bits.
            case IntegerAttr i -> LLVMConstInt(elementType, i.value(), 0);
            case BoolAttr bool -> LLVMConstInt(elementType, bool.value() ? 1 : 0, 0);
            // Through the bit pattern, so NaN payloads and -0.0 survive exactly.
            case FloatAttr f -> LLVMConstBitCast(LLVMConstInt(LLVMIntTypeInContext(ir.context, Elements.bitWidth(et)),
                    Numbers.floatBits(f.value(), et), 0), elementType);
            case null, default -> throw new CodegenException(op, "'value' must be an integer or float attribute, found "
                    + (value == null ? "none" : value.text()));
        };
        return ir.constantLike(type, scalar);
    }
}
