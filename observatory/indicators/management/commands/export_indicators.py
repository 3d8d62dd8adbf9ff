from django.core.management.base import BaseCommand, CommandError

from observatory.csv_stream import SafeCsvWriter
from observatory.indicators.selectors import figure_csv_rows, figures_frame, series_list, vintage_or_latest
from observatory.indicators.terms import AGE_BANDS, ALL, Series, UnitLevel
from observatory.records.terms import Sex


class Command(BaseCommand):
    help = (
        "Write the published monthly figures as CSV to standard output: one row per unit and month, with "
        "count, population, rate per 100,000 and its 95%% interval, the annualised, rolling 12-month and "
        "year-on-year figures, and the unstable and suppression flags. Counts the public may not see are "
        "written as '<5' (small) or 'x' (hidden so that a total cannot reveal a small one) unless "
        "--unsuppressed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--level", required=True, choices=UnitLevel.values)
        parser.add_argument(
            "--basis", required=True, help="A source code (police, coroner, hospital, ...) or 'reconciled'."
        )
        parser.add_argument("--category", choices=Series.values, help="One category; every category if omitted.")
        parser.add_argument(
            "--sex",
            default=ALL,
            choices=[ALL, *Sex.values],
            help="M, F or U for that sex's figures (breakdown levels only).",
        )
        parser.add_argument(
            "--age-band",
            default=ALL,
            choices=[ALL, *AGE_BANDS],
            help="A 5-year band such as 15-19, 80+ or unknown (breakdown levels only).",
        )
        parser.add_argument("--vintage", type=int, help="An earlier vintage's figures (default: the latest).")
        parser.add_argument(
            "--unsuppressed", action="store_true", help="Write every count as computed (not for publication)."
        )

    def handle(self, *args, level, basis, category, sex, age_band, vintage, unsuppressed, **options):
        chosen = vintage_or_latest(vintage)
        if chosen is None:
            raise CommandError(
                f"No vintage #{vintage}."
                if vintage
                else "No indicators computed yet: run `manage.py compute_indicators --full`."
            )
        rows = list(
            series_list(vintage=chosen, level=level, basis=basis, category=category, sex=sex, age_band=age_band)
        )
        if not rows:
            raise CommandError(
                f"No figures for level={level} basis={basis}"
                + (f" category={category}" if category else "")
                + f" in vintage #{chosen.pk}."
            )
        frame = figures_frame(rows=rows, vintage=chosen, public=not unsuppressed)
        SafeCsvWriter(self.stdout, lineterminator="\n").writerows(figure_csv_rows(frame))
