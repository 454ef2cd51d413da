package dev.lathe.backend.cpu.codegen;

import dev.lathe.ir.Operation;

/** Emits the LLVM IR of one kind of op at the builder's position and records its results. */
@FunctionalInterface
interface OpEmitter {
    void emit(Operation op, FunctionScope scope);
}
