"""`indicators submissions list|show|approve|return`: the commits of accounts that need approval.

The reviewer is named with --user and no password is asked — the same trust as `import --user`: whoever runs
the command at the machine already holds the store. The account's rights are still checked (an analyst or
admin who needs no approval, not the submitter, whose areas hold every row of the submission).
"""

from __future__ import annotations

import argparse
from typing import Any

from indicators.cli.common import DATABASE_URL, FORMAT, LANG, count, open_store, print_json
from indicators.cli.registry import CliError, arg, group
from indicators.i18n import t

submissions = group("submissions", "commits waiting for approval: list, show, approve or return them")
ID = arg("id", type=int, metavar="ID", help="the submission's number (see `submissions list`)")
REVIEWER = arg("--user", metavar="NAME", required=True,
               help="the reviewing account (an analyst or admin; no password asked: see the command's help)")
SHOWN_CHANGES = 20


def _line(s: Any, lang: str) -> str:
    review = (f" · {s.reviewer}" + (f": {s.review_comment}" if s.review_comment else "")) if s.reviewer else ""
    status = {"pending": t("submission_pending", lang), "approved": t("submission_approved", lang),
              "returned": t("submission_returned_status", lang)}[s.status]
    if s.version_id is not None:
        status += f" (v{s.version_id})"
    return t("cli_submission_line", lang, id=f"{s.id:>4}", created=f"{s.created_at:%Y-%m-%d %H:%M}",
             user=f"{s.user:<12}", status=f"{status:<14}", rows=s.rows, file=s.filename, comment=s.comment,
             review=review)


@submissions.command("list", arg("--status", choices=["pending", "approved", "returned"],
                                 help="only the submissions of this status (default: all)"), FORMAT, LANG,
                     DATABASE_URL)
def list_(args: argparse.Namespace) -> int:
    """the submissions, newest first: number, time (UTC), who, status, rows, file and comments"""
    from indicators.store.submissions import submissions_list

    with open_store(args) as store:
        found = submissions_list(store, args.status)
    if args.format == "json":
        print_json([s.to_dict() for s in found])
        return 0
    for s in found:
        print(_line(s, args.lang))
    if not found:
        print(t("cli_submissions_empty", args.lang))
    return 0


def _review(store: Any, args: argparse.Namespace) -> Any:
    """The submission previewed against the current version, printed: the counts, and what it overwrites."""
    from indicators.store.submissions import review_preview

    review = review_preview(store, args.id)
    counts = review.dry_run.counts()
    print(t("cli_review_preview", args.lang, id=review.submission.id, user=review.submission.user,
            current=review.current if review.current is not None else "—", new=count(counts["new"], args.lang),
            changed=count(counts["changed"], args.lang), unchanged=count(counts["unchanged"], args.lang)))
    if len(review.overwritten):
        print(t("cli_overwritten", args.lang, n=len(review.overwritten),
                base=review.submission.base_version if review.submission.base_version is not None else "—"))
        for row in review.overwritten.head(SHOWN_CHANGES).itertuples(index=False):
            print("  " + " · ".join(str(v) for v in row))
    return review


@submissions.command("show", ID, LANG, DATABASE_URL)
def show(args: argparse.Namespace) -> int:
    """what approving a submission would change, against the current version

    The counts of new, changed and unchanged rows, and the changes made since the submission's base version
    to the rows it holds (approving overwrites them).
    """
    with open_store(args) as store:
        _review(store, args)
    return 0


def _refused(exc: Exception, lang: str) -> CliError:
    return CliError(exc.message(lang) if hasattr(exc, "message") else str(exc), code=1)


@submissions.command("approve", ID, REVIEWER, arg("--comment", metavar="TEXT", default="",
                                                  help="a note for the submitter (optional)"), LANG, DATABASE_URL)
def approve(args: argparse.Namespace) -> int:
    """approve a submission: its rows update the current version, as one new version

    Prints what it changes first. If the current version moved since the submission, the rows are applied
    onto the new one and the changes made in between to the same rows are listed (they are overwritten).
    No password is asked: the operator at the machine is trusted as with `import --user`.
    """
    from indicators.store import submissions as subs

    with open_store(args) as store:
        review = _review(store, args)
        try:
            version = subs.approve(store, args.id, args.user, args.comment, expected_current=review.current)
        except (subs.WriteRefused, subs.SubmissionError) as exc:
            raise _refused(exc, args.lang) from None
    print(t("cli_approved", args.lang, id=args.id, version=version))
    return 0


@submissions.command("return", ID, REVIEWER, arg("--comment", metavar="TEXT", required=True,
                                                 help="what the submitter should correct (required)"),
                     LANG, DATABASE_URL)
def return_(args: argparse.Namespace) -> int:
    """return a submission to its submitter with a comment (nothing is written to the versions)

    The submitter sees the comment on the upload page and can submit again. No password is asked: the
    operator at the machine is trusted as with `import --user`.
    """
    from indicators.store import submissions as subs

    with open_store(args) as store:
        try:
            subs.send_back(store, args.id, args.user, args.comment)
            user = subs.submission(store, args.id).user
        except (subs.WriteRefused, subs.SubmissionError) as exc:
            raise _refused(exc, args.lang) from None
    print(t("cli_returned", args.lang, id=args.id, user=user))
    return 0
