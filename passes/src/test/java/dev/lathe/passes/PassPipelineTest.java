package dev.lathe.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.passes.transforms.FoldConstantsPass;
import org.junit.jupiter.api.Test;

class PassPipelineTest {

    @Test
    void defaultNamesTheCompilePipelineAndComposes() {
        assertEquals(PassPipeline.DEFAULT, PassPipeline.parse("default").text());
        assertEquals("cse," + PassPipeline.DEFAULT + ",dce", PassPipeline.parse("cse,default,dce").text());
    }

    private static PassPipelineException failure(String pipeline) {
        return assertThrows(PassPipelineException.class, () -> PassPipeline.parse(pipeline));
    }

    @Test
    void parsesPassesAndOptions() {
        PassPipeline p = PassPipeline.parse("canonicalize, cse,fold-constants{max-inline-elements=4 max-elements=1024}");
        assertEquals(3, p.size());
        assertEquals("canonicalize,cse,fold-constants{max-inline-elements=4 max-elements=1024}", p.text());
        var fold = (FoldConstantsPass) p.passes().get(2);
        assertEquals(4L, fold.options().get(0).get());
        assertEquals("fold-constants{max-elements=1024}", p.textFrom(2).replace("max-inline-elements=4 ", ""));
    }

    @Test
    void textRoundTripsAndDropsDefaults() {
        assertEquals("cse,fold-constants{max-inline-elements=8}",
                PassPipeline.parse("cse,fold-constants{max-inline-elements=8,max-elements=16777216}").text());
        assertEquals("canonicalize,dce", PassPipeline.parse("builtin.module(canonicalize,dce)").text());
        assertEquals(0, PassPipeline.parse("  ").size());
    }

    @Test
    void unknownPassListsKnownPassesAndItsPosition() {
        var e = failure("cse,fold-constnts");
        assertEquals(5, e.column());
        assertTrue(e.getMessage().contains("unknown pass 'fold-constnts'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'fold-constants'"), e.getMessage());
        assertTrue(e.getMessage().contains("known passes: canonicalize, cse, dce, ")
                && e.getMessage().contains(", fold-constants, fold-transpose-into-matmul, fuse-elementwise, fuse-matmul-epilogue, infer-shapes"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("\n  cse,fold-constnts\n      ^"), e.getMessage());
    }

    @Test
    void unknownOptionNamesTheKnownOnes() {
        var e = failure("fold-constants{max-inline=3}");
        assertEquals(16, e.column());
        assertTrue(e.getMessage().contains("has no option 'max-inline'; its options are: max-inline-elements, max-elements"),
                e.getMessage());
        assertTrue(failure("cse{x=1}").getMessage().contains("it takes no options"));
    }

    @Test
    void badOptionValueSaysWhatWasExpected() {
        var e = failure("fold-constants{max-elements=lots}");
        assertTrue(e.getMessage().contains("option 'max-elements' expects an integer, got 'lots'"), e.getMessage());
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertEquals(5, failure("cse,").column());
        assertTrue(failure("cse,").getMessage().contains("expected a pass name at the end of the pipeline"));
        assertEquals(30, failure("fold-constants{max-elements=3").column());
        assertTrue(failure("fold-constants{max-elements=3").getMessage().contains("expected '}'"));
        assertEquals(29, failure("fold-constants{max-elements=}").column());
        assertEquals(4, failure("cse;dce").column());
        assertTrue(failure("func.func(cse)").getMessage().contains("nested pipelines"));
        assertTrue(failure("builtin.module(cse").getMessage().contains("expected ')'"));
    }

    @Test
    void registryRejectsUnknownNamesAndDuplicates() {
        var registry = PassRegistry.withBuiltins();
        var e = assertThrows(IllegalArgumentException.class, () -> registry.create("nope"));
        assertTrue(e.getMessage().startsWith("unknown pass 'nope'; known passes: canonicalize"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> registry.register(FoldConstantsPass::new));
    }
}
