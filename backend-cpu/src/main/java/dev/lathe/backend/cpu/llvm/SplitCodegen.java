package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * O3 and machine code for one translated module on several threads: the module is cut into
 * parts, each optimized and compiled to its own object in its own LLVM context (a context is
 * single-threaded) and target machine; the JIT links the objects together.
 *
 * <p>What moves: the outlined parallel loop bodies ({@code NAME.parallel.N}, the bulk of the
 * code: MiniLM's GEMM kernels), spread over the parts by instruction count (largest first,
 * onto the lightest part). Part 0 keeps everything else ({@code lathe_main}, the kernel
 * wrappers, the globals) and declares the moved bodies; a moved body becomes a hidden external
 * symbol, reached from part 0 through the GOT ({@link #declarationInstead}). The code does not
 * change: a body is only ever called through the pointer its wrapper hands to
 * {@code parallel_for}, so no optimization crossed that boundary before either.
 * Small shared helpers (the {@code alwaysinline} vector math, weak soft-float functions) are
 * copied into every part. A module whose bodies use a global variable (none today), or with
 * fewer than two bodies, is not split ({@link #compile} returns null).
 */
public final class SplitCodegen {

    /** The infix of an outlined parallel body's name ({@code codegen.FunctionScope}). */
    static final String PARALLEL_BODY = ".parallel.";

    private SplitCodegen() {}

    /** One object per part, part 0 (defining {@code lathe_main}) first; null when it does not split. */
    public static List<byte[]> compile(LLVMModuleRef module, LlvmTarget target, int threads) {
        List<List<String>> plan = plan(module, threads);
        if (plan == null) {
            return null;
        }
        byte[] bitcode = bitcode(module);
        int n = plan.size();
        byte[][] objects = new byte[n][];
        Throwable[] failures = new Throwable[n];
        List<Thread> workers = new ArrayList<>();
        for (int p = 1; p < n; p++) {
            int part = p;
            workers.add(Thread.ofPlatform().daemon().name("lathe-llvm-" + p).start(() -> {
                try {
                    objects[part] = compilePart(bitcode, plan, part, target);
                } catch (Throwable t) {
                    failures[part] = t;
                }
            }));
        }
        try {
            objects[0] = compilePart(bitcode, plan, 0, target);
        } catch (Throwable t) {
            failures[0] = t;
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlvmException("interrupted while compiling");
            }
        }
        for (Throwable t : failures) {
            if (t instanceof RuntimeException r) {
                throw r;
            } else if (t instanceof Error e) {
                throw e;
            }
        }
        return List.of(objects);
    }

    /**
     * The bodies each part defines (part 0 also keeps everything else), or null: fewer than two
     * bodies, or a body that uses a global variable.
     */
    static List<List<String>> plan(LLVMModuleRef module, int threads) {
        record Body(String name, long size) {}
        List<Body> bodies = new ArrayList<>();
        long rest = 0;
        for (LLVMValueRef f = LLVMGetFirstFunction(module); f != null && !f.isNull(); f = LLVMGetNextFunction(f)) {
            if (LLVMIsDeclaration(f) != 0) {
                continue;
            }
            long size = instructionCount(f);
            String name = name(f);
            if (isBody(f, name)) {
                bodies.add(new Body(name, size));
            } else {
                rest += size;
            }
        }
        int n = Math.min(threads, bodies.size());
        if (n < 2 || bodiesUseGlobals(module)) {
            return null;
        }
        List<List<String>> parts = new ArrayList<>();
        long[] load = new long[n];
        for (int p = 0; p < n; p++) {
            parts.add(new ArrayList<>());
        }
        load[0] = rest;
        bodies.sort(Comparator.comparingLong(Body::size).reversed());
        for (Body b : bodies) {
            int lightest = 0;
            for (int p = 1; p < n; p++) {
                if (load[p] < load[lightest]) {
                    lightest = p;
                }
            }
            parts.get(lightest).add(b.name());
            load[lightest] += b.size();
        }
        // Part 0 stays even without bodies: it has lathe_main and the rest.
        List<List<String>> used = new ArrayList<>(List.of(parts.get(0)));
        parts.subList(1, n).stream().filter(p -> !p.isEmpty()).forEach(used::add);
        return used.size() < 2 ? null : used;
    }

    private static boolean isBody(LLVMValueRef f, String name) {
        int linkage = LLVMGetLinkage(f);
        return name.contains(PARALLEL_BODY) && (linkage == LLVMInternalLinkage || linkage == LLVMPrivateLinkage);
    }

    /** Copied into every part: internal always-inline helpers and weak definitions. */
    private static boolean isHelper(LLVMValueRef f) {
        int linkage = LLVMGetLinkage(f);
        if (linkage == LLVMWeakAnyLinkage || linkage == LLVMWeakODRLinkage || linkage == LLVMLinkOnceAnyLinkage
                || linkage == LLVMLinkOnceODRLinkage) {
            return true;
        }
        int alwaysInline = LLVMGetEnumAttributeKindForName("alwaysinline", "alwaysinline".length());
        return (linkage == LLVMInternalLinkage || linkage == LLVMPrivateLinkage)
                && LLVMGetEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, alwaysInline) != null
                && !LLVMGetEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, alwaysInline).isNull();
    }

    private static boolean bodiesUseGlobals(LLVMModuleRef module) {
        for (LLVMValueRef g = LLVMGetFirstGlobal(module); g != null && !g.isNull(); g = LLVMGetNextGlobal(g)) {
            if (usedByMovableCode(g)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a body or helper uses {@code v}, directly or through constants (not other globals). */
    private static boolean usedByMovableCode(LLVMValueRef v) {
        for (var use = LLVMGetFirstUse(v); use != null && !use.isNull(); use = LLVMGetNextUse(use)) {
            LLVMValueRef user = LLVMGetUser(use);
            if (!isNull(LLVMIsAInstruction(user))) {
                LLVMValueRef fn = LLVMGetBasicBlockParent(LLVMGetInstructionParent(user));
                if (isBody(fn, name(fn)) || isHelper(fn)) {
                    return true;
                }
            } else if (isNull(LLVMIsAGlobalValue(user)) && usedByMovableCode(user)) {
                return true; // a constant (expression, array) that such code uses
            }
        }
        return false;
    }

    private static boolean isNull(LLVMValueRef v) {
        return v == null || v.isNull();
    }

    private static long instructionCount(LLVMValueRef f) {
        long n = 0;
        for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b != null && !b.isNull(); b = LLVMGetNextBasicBlock(b)) {
            for (LLVMValueRef i = LLVMGetFirstInstruction(b); i != null && !i.isNull(); i = LLVMGetNextInstruction(i)) {
                n++;
            }
        }
        return n;
    }

    private static byte[] bitcode(LLVMModuleRef module) {
        LLVMMemoryBufferRef buffer = LLVMWriteBitcodeToMemoryBuffer(module);
        try {
            byte[] bytes = new byte[Math.toIntExact(LLVMGetBufferSize(buffer))];
            LLVMGetBufferStart(buffer).get(bytes);
            return bytes;
        } finally {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }

    /** Parses the bitcode into a fresh context, keeps part {@code part}'s code, optimizes, emits. */
    private static byte[] compilePart(byte[] bitcode, List<List<String>> plan, int part, LlvmTarget shared) {
        LLVMContextRef context = LLVMContextCreate();
        LLVMModuleRef module = null;
        try (LlvmTarget target = shared.copy()) {
            LLVMMemoryBufferRef buffer;
            try (BytePointer bytes = new BytePointer(bitcode); BytePointer name = new BytePointer("lathe-part")) {
                buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, bitcode.length, name);
            }
            LLVMModuleRef[] parsed = {new LLVMModuleRef()};
            try {
                if (LLVMParseBitcodeInContext2(context, buffer, parsed[0]) != 0) {
                    throw new LlvmException("could not read back the module's bitcode");
                }
            } finally {
                LLVMDisposeMemoryBuffer(buffer);
            }
            module = parsed[0];
            keepPart(module, plan, part);
            Llvm.verify(module);
            Optimizer.optimize(module, target);
            return ObjectEmitter.emitObjectBytes(module, target);
        } finally {
            if (module != null) {
                LLVMDisposeModule(module);
            }
            LLVMContextDispose(context);
        }
    }

    private static void keepPart(LLVMModuleRef module, List<List<String>> plan, int part) {
        Set<String> mine = new HashSet<>(plan.get(part));
        Set<String> moved = new HashSet<>();
        for (int p = 0; p < plan.size(); p++) {
            moved.addAll(plan.get(p));
        }
        moved.removeAll(plan.get(0));
        List<LLVMValueRef> stubs = new ArrayList<>();
        for (LLVMValueRef f = LLVMGetFirstFunction(module); f != null && !f.isNull(); f = LLVMGetNextFunction(f)) {
            if (LLVMIsDeclaration(f) != 0) {
                continue;
            }
            String name = name(f);
            if (mine.contains(name)) {
                if (moved.contains(name)) {
                    exportHidden(f);
                }
            } else if (part == 0 ? moved.contains(name) : !isHelper(f)) {
                stubs.add(f);
            }
        }
        List<LLVMValueRef> declarations = new ArrayList<>();
        for (LLVMValueRef f : stubs) {
            declarations.add(declarationInstead(module, f));
        }
        if (part != 0) {
            // What part 0 defines and this part does not use goes: functions, then globals.
            for (LLVMValueRef d : declarations) {
                if (LLVMGetFirstUse(d) == null || LLVMGetFirstUse(d).isNull()) {
                    LLVMDeleteFunction(d);
                }
            }
            boolean removed = true;
            while (removed) {
                removed = false;
                for (LLVMValueRef g = LLVMGetFirstGlobal(module); g != null && !g.isNull(); ) {
                    LLVMValueRef next = LLVMGetNextGlobal(g);
                    if (LLVMGetFirstUse(g) == null || LLVMGetFirstUse(g).isNull()) {
                        LLVMDeleteGlobal(g);
                        removed = true;
                    }
                    g = next;
                }
            }
        }
    }

    /**
     * Replaces a defined function by an external declaration of the same name and type. Default
     * visibility, although the definition is hidden: the JIT maps each part's object on its own,
     * possibly more than 2 GB from the others (it happened in long conformance runs: "relocation
     * out of range of Delta32 fixup"), so a body's address must be loaded through the GOT, which
     * a hidden (assumed DSO-local) declaration would skip for a 32-bit PC-relative one.
     */
    private static LLVMValueRef declarationInstead(LLVMModuleRef module, LLVMValueRef f) {
        String name = name(f);
        LLVMSetValueName2(f, name + ".moved", name.length() + 6);
        LLVMValueRef declaration = LLVMAddFunction(module, name, LLVMGlobalGetValueType(f));
        LLVMSetLinkage(declaration, LLVMExternalLinkage);
        LLVMReplaceAllUsesWith(f, declaration);
        LLVMDeleteFunction(f);
        return declaration;
    }

    private static void exportHidden(LLVMValueRef f) {
        LLVMSetLinkage(f, LLVMExternalLinkage);
        LLVMSetVisibility(f, LLVMHiddenVisibility);
    }

    private static String name(LLVMValueRef v) {
        try (SizeTPointer length = new SizeTPointer(1)) {
            BytePointer p = LLVMGetValueName2(v, length);
            return p.limit(length.get()).getString();
        }
    }
}
