import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.reconciliation.selectors import blocking_rules_evaluate, linkage_evaluate


class Command(BaseCommand):
    help = (
        "Compare the current victims with a ground-truth file (CSV with header source,record_id,victim_key, as "
        "the demo generator writes) and print pairwise precision, recall and F1 and cluster purity and "
        "completeness, and how many true pairs each blocking rule finds. The last line is: precision=P recall=R f1=F"
    )

    def add_arguments(self, parser):
        parser.add_argument("truth", type=Path)

    def handle(self, *args, truth: Path, **options):
        if not truth.is_file():
            raise CommandError(f"{truth}: no such file.")
        with truth.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"source", "record_id", "victim_key"} - set(reader.fieldnames or [])
            if missing:
                raise CommandError(
                    f"{truth}: missing column(s) {', '.join(sorted(missing))}; the header must be "
                    "source,record_id,victim_key."
                )
            labels = {}
            for line, row in enumerate(reader, start=2):
                if not row["source"] or not row["record_id"] or not row["victim_key"]:
                    raise CommandError(f"{truth}, line {line}: source, record_id and victim_key must all be given.")
                labels[(row["source"].strip(), row["record_id"].strip())] = row["victim_key"].strip()
        evaluation = linkage_evaluate(truth=labels)
        quality = evaluation.quality
        self.stdout.write(
            f"records in the truth file: {len(labels)}; found in the observatory: {quality.records}; "
            f"not found: {evaluation.not_found}; not yet linked: {evaluation.not_linked}"
        )
        self.stdout.write(
            f"pairs: true={quality.true_pairs} predicted={quality.predicted_pairs} correct={quality.correct_pairs}"
        )
        self.stdout.write(f"clusters: purity={quality.purity:.3f} completeness={quality.completeness:.3f}")
        by_rule, missed = blocking_rules_evaluate(truth=labels)
        for rule, recall in by_rule.items():
            self.stdout.write(f"true pairs found by rule {rule}: {recall.found} (by it alone: {recall.only})")
        self.stdout.write(f"true pairs no rule finds: {missed}")
        self.stdout.write(f"precision={quality.precision:.3f} recall={quality.recall:.3f} f1={quality.f1:.3f}")
