"""The mutation side: the catalogue's own checks, scripts/mutate's command
line, and what a mutants.json does to the gate and the report. (The
mutants themselves run in scripts/test and scripts/compare, not here.)
"""

from __future__ import annotations

import json
import unittest

from support import FIXTURES, SCRIPTS, TempDirTest, call, run

from asio_twin import mutation, results
from asio_twin.cli import UsageError


def verdict(name: str, verdict: str, killed_by: str | None = None) -> dict:
    return {
        "name": name,
        "file": "impl/src/scheduler.cpp",
        "line": 10,
        "description": f"the {name} bug",
        "verdict": verdict,
        "killed_by": killed_by,
        "seconds": 1.5,
    }


class Catalogue(TempDirTest):
    def write(self, text: str):
        (self.tmp / "impl").mkdir(exist_ok=True)
        (self.tmp / "impl" / "a.cpp").write_text("int f() { return 1; }\nint g() { return 1; }\n")
        path = self.tmp / "catalogue.toml"
        path.write_text(text)
        return path

    def entry(self, name="a-bug", find="return 1; }\\nint g", replace="return 2; }\\nint g"):
        return (
            f'[[mutant]]\nname = "{name}"\nfile = "impl/a.cpp"\ndescription = "d"\n'
            f'find = "{find}"\nreplace = "{replace}"\n'
        )

    def test_the_real_catalogue_is_current_and_large(self):
        mutants = mutation.load_catalogue()
        self.assertGreaterEqual(len(mutants), 40)
        parts = {m.file.split("/")[-1] for m in mutants}
        for part in ("scheduler.cpp", "epoll_reactor.cpp", "timer_queue.hpp", "strand_queue.hpp"):
            self.assertIn(part, parts)

    def test_a_valid_entry_loads_with_its_line(self):
        (m,) = mutation.load_catalogue(self.write(self.entry()), self.tmp)
        self.assertEqual((m.name, m.line), ("a-bug", 1))

    def test_stale_text_is_refused(self):
        path = self.write(self.entry(find="no such text"))
        with self.assertRaisesRegex(UsageError, "occurs 0 times.*stale"):
            mutation.load_catalogue(path, self.tmp)

    def test_ambiguous_text_is_refused(self):
        path = self.write(self.entry(find="return 1;", replace="return 3;"))
        with self.assertRaisesRegex(UsageError, "occurs 2 times"):
            mutation.load_catalogue(path, self.tmp)

    def test_a_name_used_twice_is_refused(self):
        path = self.write(self.entry() + self.entry())
        with self.assertRaisesRegex(UsageError, "used twice"):
            mutation.load_catalogue(path, self.tmp)

    def test_unknown_fields_are_refused(self):
        path = self.write(self.entry() + 'colour = "red"\n')
        with self.assertRaisesRegex(UsageError, "unknown"):
            mutation.load_catalogue(path, self.tmp)


class Command(TempDirTest):
    def test_list_names_every_mutant(self):
        proc = run(SCRIPTS / "mutate", "--list")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"{len(mutation.load_catalogue())} mutants", proc.stdout)
        self.assertIn("timer-late", proc.stdout)

    def test_bad_usage_is_one_line_and_status_2(self):
        for argv in (["--only", "no-such-mutant"], ["--jobs", "0"], ["--bogus"]):
            with self.subTest(argv=argv):
                self.assert_one_line_error(run(SCRIPTS / "mutate", *argv), "scripts/mutate")

    def test_a_folder_with_results_is_not_overwritten(self):
        (self.tmp / "mutants.json").write_text("{}")
        self.assert_one_line_error(
            run(SCRIPTS / "mutate", "--out", self.tmp, "--only", "timer-late"), "scripts/mutate"
        )
        self.assertEqual((self.tmp / "mutants.json").read_text(), "{}")


class GateAndReport(TempDirTest):
    def with_mutants(self, *rows: dict):
        folder = self.copy_fixture("pass")
        (folder / "mutants.json").write_text(json.dumps({"mutants": list(rows)}))
        return folder

    def test_all_killed_passes(self):
        folder = self.with_mutants(
            verdict("a", "killed", "conformance/Timer"), verdict("b", "timeout")
        )
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 0, out)

    def test_a_survivor_fails_the_gate(self):
        folder = self.with_mutants(verdict("a", "killed", "x"), verdict("lost-wakeup", "survived"))
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 1, out)
        self.assertIn("mutant lost-wakeup survived", out)

    def test_a_mutant_that_does_not_compile_fails_the_gate(self):
        status, out, _ = call("gate", self.with_mutants(verdict("typo", "invalid")))
        self.assertEqual(status, 1, out)
        self.assertIn("mutant typo does not compile", out)

    def test_report_lists_survivors_first_with_the_score(self):
        folder = self.with_mutants(
            verdict("aa-killed", "killed", "conformance/Strand: X"),
            verdict("zz-survivor", "survived"),
            verdict("mm-equivalent", "equivalent"),
        )
        status, _, err = call("report", folder)
        self.assertEqual(status, 0, err)
        html = (folder / "index.html").read_text()
        section = html[html.index('<section id="mutation">') :]
        self.assertIn("Mutation score 50.0%", section)
        self.assertLess(section.index("zz-survivor"), section.index("aa-killed"))
        self.assertIn("conformance/Strand: X", section)

    def test_a_broken_mutants_file_is_one_line_and_status_2(self):
        folder = self.copy_fixture("pass")
        (folder / "mutants.json").write_text(json.dumps({"mutants": [{"name": "x"}]}))
        self.assert_one_line_error(call("gate", folder), "scripts/gate")

    def test_a_mutation_folder_alone_is_a_results_folder(self):
        (self.tmp / "mutants.json").write_text(json.dumps({"mutants": [verdict("a", "killed")]}))
        self.assertEqual(len(results.load(self.tmp).mutants), 1)


class SkippedScenarios(TempDirTest):
    def with_twin_skip(self, reason: str | None):
        folder = self.copy_fixture("pass")
        path = folder / "conformance-twin.json"
        data = json.loads(path.read_text())
        test = data["testsuites"][0]["testsuite"][0]
        test["result"] = "SKIPPED"
        if reason:
            test["skip_reason"] = reason
        path.write_text(json.dumps(data))
        return folder, f"{test['name']}"

    def test_a_skip_without_a_reason_fails_the_gate(self):
        folder, name = self.with_twin_skip(None)
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 1, out)
        self.assertIn("without saying why", out)
        self.assertIn(name, out)

    def test_a_declared_skip_passes_and_the_report_shows_why(self):
        folder, _ = self.with_twin_skip("needs io_uring, which this kernel refuses")
        self.assertEqual(call("gate", folder)[0], 0)
        call("report", folder)
        self.assertIn(
            "needs io_uring, which this kernel refuses", (folder / "index.html").read_text()
        )


class MissingCategory(TempDirTest):
    def with_declared(self, categories: list[str], filter: str | None = None):
        folder = self.copy_fixture("pass")
        context = json.loads((folder / "context.json").read_text())
        context.update({"categories": categories, "filter": filter})
        (folder / "context.json").write_text(json.dumps(context))
        return folder

    def present(self) -> list[str]:
        run = results.load(FIXTURES / "pass")
        return sorted({s.category for s in run.conformance["twin"]})

    def test_every_declared_category_present_passes(self):
        status, out, _ = call("gate", self.with_declared(self.present()))
        self.assertEqual(status, 0, out)

    def test_a_declared_category_without_twin_results_fails(self):
        status, out, _ = call("gate", self.with_declared(self.present() + ["Composed"]))
        self.assertEqual(status, 1, out)
        self.assertIn("twin has no results in category Composed", out)

    def test_a_filtered_run_is_not_held_to_every_category(self):
        folder = self.with_declared(self.present() + ["Composed"], filter="Ordering")
        self.assertEqual(call("gate", folder)[0], 0)


if __name__ == "__main__":
    unittest.main()
