package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lockspec.model.Spec;
import org.lockspec.validation.Suggestions;

import com.google.inject.Inject;

/**
 * One typo, one error, at the typo: each case plants one mistake in seed 002
 * (buggy) and expects exactly one diagnostic, at the mistake, saying what was
 * probably meant. Without the first-cause filter the same typos give two to
 * seven diagnostics, the real cause not always first.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(LockspecInjectorProvider.class)
class FirstCausesTest {

	@Inject
	private ParseHelper<Spec> parser;

	@Inject
	private ValidationTestHelper validator;

	private static String seed() throws Exception {
		return Files.readString(Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec"));
	}

	/** Every diagnostic as {@code line:col: message}, in position order. */
	private List<String> diagnostics(String text) throws Exception {
		return validator.validate(parser.parse(text)).stream()
				.sorted((a, b) -> Integer.compare(a.getOffset(), b.getOffset()))
				.map(i -> i.getLineNumber() + ":" + i.getColumn() + ": " + i.getMessage()).toList();
	}

	private List<String> withTypo(String original, String typo) throws Exception {
		String seed = seed();
		String text = seed.replace(original, typo);
		assertNotEquals(seed, text, "the seed has no '" + original + "'");
		return diagnostics(text);
	}

	@Test
	void theSeedIsClean() throws Exception {
		assertEquals(List.of(), diagnostics(seed()));
	}

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', ignoreLeadingAndTrailingWhitespace = false, value = {
			// a misspelt keyword: the parser's first complaint is elsewhere (a missing '=' after it, the next line)
			"  call pci_enable_sriov(pf)|  cal pci_enable_sriov(pf)|28:3: 'cal' is not a keyword; did you mean 'call'?",
			"  lock pf.dev_lock|  lokc pf.dev_lock|27:3: 'lokc' is not a keyword; did you mean 'lock'?",
			"lock pci_bus_sem write|lock pci_bus_sem wrte|40:20: 'wrte' is not a keyword; did you mean 'write'?",
			"  let vf = new PciDev|  let vf = nwe PciDev|34:12: 'nwe' is not a keyword; did you mean 'new'?",
			"  add dev to dev.bus.devices|  add dev too dev.bus.devices|41:11: 'too' is not a keyword; did you mean 'to'?",
			"  for dev in bus.devices|  fro dev in bus.devices|48:3: 'fro' is not a keyword; did you mean 'for'?",
			"object PciDev {|objet PciDev {|19:1: 'objet' is not a keyword; did you mean 'object'?",
			"  ref  bus      : PciBus|  reff bus      : PciBus|20:3: 'reff' is not a keyword; did you mean 'ref'?",
			"guarded_by pci_bus_sem|guardedby pci_bus_sem|16:25: 'guardedby' is not a keyword; did you mean 'guarded_by'?",
			"lock dev_lock : mutex|lock dev_lock : mutx|21:19: 'mutx' is not a keyword; did you mean 'mutex'?",
			"aer_recover(bus: PciBus) in process|aer_recover(bus: PciBus) in proces|46:32: 'proces' is not a keyword; did you mean 'process'?",
			"  thread cpu0 : driver_probe(pf)|  thred cpu0 : driver_probe(pf)|60:3: 'thred' is not a keyword; did you mean 'thread'?",
			"  expect deadlock\\n}|  expect deadlok\\n}|62:10: 'deadlok' is not a keyword; did you mean 'deadlock'?",
			// a misspelt name: the nearest declared name of the kind the reference takes
			"  call pci_enable_sriov(pf)|  call pci_enable_sriv(pf)|28:8: unknown op 'pci_enable_sriv'; did you mean 'pci_enable_sriov'?",
			"  lock pf.dev_lock|  lock pf.dev_lok|27:11: 'PciDev' has no field, ref, list, refcount, lock, gate, completion or work named 'dev_lok'; did you mean 'dev_lock'?",
			"  pf   : PciDev {|  pf   : PciDv {|59:10: unknown object type 'PciDv'; did you mean 'PciDev'?",
			"  field is_virtfn : bool|  field is_virtfn : boool|22:21: unknown type 'boool'; did you mean 'bool'?",
			"  unlock pci_bus_sem\\n}\\n\\nexpect|  unlock pci_bus_sm\\n}\\n\\nexpect|52:10: unknown name 'pci_bus_sm'; did you mean 'pci_bus_sem'?" })
	void oneTypoGivesOneErrorAtTheTypo(String original, String typo, String expected) throws Exception {
		assertEquals(List.of(expected), withTypo(original.replace("\\n", "\n"), typo.replace("\\n", "\n")),
				() -> "'" + original + "' -> '" + typo + "'");
	}

	@Test
	void aWordThatIsNoStatementIsSaidToBeOne() throws Exception {
		assertEquals(List.of("28:3: 'acquire' is not a statement: a statement is an assignment (x.f = e) or starts with "
				+ "lock, unlock, if, with, let, add, remove, for, while, choose, get, put, enter, leave, drain, wait, complete, "
				+ "wait_for_completion, reinit_completion, might_sleep, queue_work, flush_work, cancel_work, flush_workqueue, "
				+ "request_threaded_irq, "
				+ "synchronize_srcu, pm_runtime_get_sync, call, queue, "
				+ "assert, return"), withTypo("  call pci_enable_sriov(pf)", "  acquire pf"));
	}

	@Test
	void twoTyposInTwoDeclarationsGiveTwoErrors() throws Exception {
		String seed = seed();
		String text = seed.replace("  call pci_enable_sriov(pf)", "  cal pci_enable_sriov(pf)").replace("  add dev to",
				"  add dev too");
		assertEquals(List.of("28:3: 'cal' is not a keyword; did you mean 'call'?",
				"41:11: 'too' is not a keyword; did you mean 'to'?"), diagnostics(text));
	}

	@Test
	void aRuleCheckTrippingOverAnUnresolvedNameIsLeftOut() throws Exception {
		// without the filter: also "'driver_probe' unlocks dev_lock but never locks it" on line 29, a correct line
		List<String> ds = withTypo("  lock pf.dev_lock", "  lock pf.dev_lok");
		assertEquals(1, ds.size(), ds.toString());
	}

	@Test
	void whileASpecDoesNotParseItsRulesAreNotChecked() throws Exception {
		// a rule error (the mode a mutex does not have) in one op, a typo in another: the typo only, until it is fixed
		String seed = seed();
		String text = seed.replace("    lock dev.dev_lock ", "    lock dev.dev_lock read ").replace("  call pci_enable_sriov(pf)",
				"  cal pci_enable_sriov(pf)");
		assertEquals(List.of("28:3: 'cal' is not a keyword; did you mean 'call'?"), diagnostics(text));
		assertEquals(List.of("49:23: a mutex has no read or write side; write 'lock dev.dev_lock'"),
				diagnostics(text.replace("  cal pci", "  call pci")));
	}

	@Test
	void aNameWithoutANearOneGetsNoSuggestion() throws Exception {
		assertEquals(List.of("28:8: unknown op 'frobnicate'"), withTypo("  call pci_enable_sriov(pf)", "  call frobnicate(pf)"));
	}

	@Test
	void suggestionsAreNearForTheWordsLength() {
		assertEquals(Optional.of("lock"), Suggestions.nearest("lokc", List.of("unlock", "lock")), "a swap is one edit");
		assertEquals(Optional.empty(), Suggestions.nearest("lk", List.of("lock")), "two edits for a short word are too many");
		assertEquals(Optional.of("pci_enable_sriov"), Suggestions.nearest("pci_enabel_sirov", List.of("pci_enable_sriov")),
				"two swaps in a long name");
		assertEquals(Optional.empty(), Suggestions.nearest("lock", List.of("lock")), "a word is not its own suggestion");
	}

	@Test
	void theIssueDataIsTheNameAsWritten() throws Exception {
		Issue i = validator.validate(parser.parse(seed().replace("  call pci_enable_sriov(pf)", "  call pci_enable_sriv(pf)")))
				.get(0);
		assertEquals(List.of("pci_enable_sriv"), List.of(i.getData()));
	}
}
