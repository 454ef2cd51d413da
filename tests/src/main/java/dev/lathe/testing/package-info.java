/**
 * The harness for Lathe's IR-text tests: a FileCheck and an MLIR-style diagnostic verifier in
 * pure Java. A runner reads each {@code .lir} file, runs every case through the RUN line's
 * pipeline, and checks the output and the diagnostics; every failure names the test file's line.
 *
 * <pre>{@code
 * LirTestFile file = LirTestFile.read(path, "passes/cse.lir");
 * RunLine run = file.runLines().getFirst();
 * for (LirTestCase testCase : file.cases()) {
 *     // parse testCase.alignedText() so reported locations are lines of the file
 *     CheckResult output = testCase.fileCheck(run.checkPrefixes()).check(printedModule);
 *     CheckResult diagnostics = testCase.checkDiagnostics(reported);  // List<ActualDiagnostic>
 * }
 * }</pre>
 */
package dev.lathe.testing;
