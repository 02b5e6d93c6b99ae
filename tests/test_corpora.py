"""The four real ADR folders beside the project, read in place: every record's number,
title, status, date and relations as a person reads them in the files, and exactly the
problems lint should report, each with why it is real.

The expectations were written by reading each file (see ../shared/adr-corpora/README.md for
where they come from); nothing here is copied from adrgen's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrgen.cli import cli
from tests.conftest import CORPORA

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared ADR corpora are absent")

ADR_TOOLS = "npryce__adr-tools"
MADR = "adr__madr"
LOG4BRAINS = "thomvaill__log4brains"
GOVUK = "alphagov__govuk-aws"

# file -> (number, title, status, date, [(relation, record it names)])
EXPECTED: dict[str, dict[str, tuple]] = {
    ADR_TOOLS: {
        "0001-record-architecture-decisions.md": (1, "Record architecture decisions", "accepted", "2016-02-12", []),
        "0002-implement-as-shell-scripts.md": (2, "Implement as shell scripts", "accepted", "2016-02-12", []),
        "0003-single-command-with-subcommands.md": (3, "Single command with subcommands", "accepted", "2016-02-12", []),
        "0004-markdown-format.md": (4, "Markdown format", "accepted", "2016-02-12", []),
        # `Amended by [9. Help scripts](0009-help-scripts.md)` in its status section
        "0005-help-comments.md": (5, "Help comments", "accepted", "2016-02-13", [("amended-by", "0009-help-scripts.md")]),
        "0006-packaging-and-distribution-in-other-version-control-repositories.md": (6, "Packaging and distribution in other version control repositories", "accepted", "2016-02-16", []),
        "0007-invoke-adr-config-executable-to-get-configuration.md": (7, "Invoke adr-config executable to get configuration", "accepted", "2016-12-17", []),
        "0008-use-iso-8601-format-for-dates.md": (8, "Use ISO 8601 Format for Dates", "accepted", "2017-02-21", []),
        "0009-help-scripts.md": (9, "Help scripts", "accepted", "2018-06-26", [("amends", "0005-help-comments.md")]),
    },
    # front matter is Jekyll navigation only; 0003 alone states a status; no record a date;
    # the fenced examples in 0008 and 0013 hold `status:`/`date:` lines that are not theirs
    MADR: {
        "0000-use-markdown-architectural-decision-records.md": (0, "Use Markdown Architectural Decision Records", None, None, []),
        "0001-use-CC0-or-MIT-as-license.md": (1, "Dual License the Work", None, None, []),
        "0002-do-not-use-numbers-in-headings.md": (2, "Do Not Use Numbers in Headings", None, None, []),
        "0003-provide-own-madr-tools.md": (3, "Write Own MADR Tooling", "on hold", None, []),
        "0004-write-own-toc-tool.md": (4, "Write Own TOC Tool", None, None, []),
        "0005-use-dashes-in-filenames.md": (5, "Use Dashes in Filenames", None, None, []),
        "0006-use-names-as-identifier.md": (6, "Use Names as Identifier", None, None, []),
        "0007-do-not-emphasize-line-headings.md": (7, "Do Not Emphasize Line Headings", None, None, []),
        "0008-add-status-field.md": (8, "Add Status Field", None, None, []),
        "0009-support-links-between-adrs-inside-an-adrs.md": (9, "Support Links To Other ADRs Inside an ADR", None, None, []),
        "0010-support-categories.md": (10, "Support Categories", None, None, []),
        "0011-use-asterisk-as-list-marker.md": (11, "Use Asterisk as List Marker", None, None, []),
        "0012-use-curly-braces-to-denote-placeholder.md": (12, "Use Curly Braces to Denote Placeholders", None, None, []),
        "0013-use-yaml-front-matter-for-meta-data.md": (13, "Use YAML front matter for metadata", None, None, []),
        "0014-allow-neutral-arguments.md": (14, 'Allow "neutral" arguments', None, None, []),
        "0015-include-consulting-informed-of-raci.md": (15, 'Include "Consulted" and "Informed" of RACI', None, None, []),
        "0016-outcome-before-detailed-pros-cons.md": (16, "Outcome before Detailed Pros and Cons", None, None, []),
        "0017-use-same-format-for-outcomes-and-options.md": (17, "Use Same Format for Outcomes and Options", None, None, []),
        "0018-use-confirmation-as-heading.md": (18, 'Use "Confirmation" as Heading', None, None, []),
    },
    # date-prefixed names: no sequence numbers; MADR 2 bullets for status and date
    LOG4BRAINS: {
        "20200924-use-markdown-architectural-decision-records.md": (None, "Use Markdown Architectural Decision Records", "accepted", "2020-09-24", []),
        "20200925-multi-packages-architecture-in-a-monorepo-with-yarn-and-lerna.md": (None, "Multi-packages architecture in a monorepo with Yarn and Lerna", "accepted", "2020-09-25", []),
        "20200925-use-prettier-eslint-airbnb-for-the-code-style.md": (None, "Use Prettier-ESLint Airbnb for the code style", "accepted", "2020-09-25", []),
        # `- Status: superseded by [20201016-…](20201016-….md)`
        "20200926-use-the-adr-number-as-its-unique-id.md": (None, "Use the ADR number as its unique ID", "superseded", "2020-09-26", [("superseded-by", "20201016-use-the-adr-slug-as-its-unique-id.md")]),
        "20200927-avoid-default-exports.md": (None, "Avoid default exports", "accepted", "2020-09-27", []),
        # `- Supersedes […](20200926-….md)` in its `## Links` section
        "20201016-use-the-adr-slug-as-its-unique-id.md": (None, "Use the ADR slug as its unique ID", "accepted", "2020-10-16", [("supersedes", "20200926-use-the-adr-number-as-its-unique-id.md")]),
        "20201026-the-core-api-is-responsible-for-enhancing-the-adr-markdown-body-with-mdx.md": (None, "The core API is responsible for enhancing the ADR markdown body with MDX", "accepted", "2020-10-26", []),
        "20201103-use-lunr-for-search.md": (None, "Use Lunr for search", "accepted", "2020-11-03", []),
        "20210113-distribute-log4brains-as-a-global-npm-package.md": (None, "Distribute Log4brains as a global NPM package", "accepted", "2021-01-13", []),
    },
    # adr-tools layout; Pending is proposed and Approved accepted; 0034 is missing
    GOVUK: {
        "0001-record-architecture-decisions.md": (1, "Record architecture decisions", "accepted", "2017-06-30", []),
        "0002-hosting-platforms.md": (2, "Hosting Platforms", "accepted", "2017-06-30", []),
        # its body says 0033 supersedes some of it, in prose; the status names no record
        "0003-aws-networking-outline.md": (3, "Networking Outline", "partly superseded", "2017-06-30", []),
        "0004-dns-definitions-for-hosts-and-services.md": (4, "DNS definitions for hosts and services", "superseded", "2017-07-14", [("superseded-by", "0015-dns-infrastructure.md")]),
        "0005-terraform-module-location.md": (5, "Terraform Module Location", "accepted", "2017-07-04", []),
        "0006-puppet-architecture.md": (6, "Puppet architecture", "proposed", "2017-07-04", []),
        "0007-puppet-cert-management.md": (7, "Puppet certificate management", "accepted", "2017-07-04", []),
        "0008-postgres-on-puppetmaster.md": (8, "Postgres on Puppetmaster", "accepted", "2017-07-04", []),
        "0009-environment-bootstrapping-process.md": (9, "Environment bootstrapping process", "proposed", "2017-07-04", []),
        "0010-terraform-directory-structure.md": (10, "Terraform directory structure", "accepted", "2017-07-04", [("amended-by", "0017-terraform-data-structure.md")]),
        "0011-migration-strategy.md": (11, "Migration Strategy", "accepted", "2017-07-04", []),
        "0012-security-groups-in-terraform.md": (12, "Security Groups in Terraform", "accepted", "2017-07-05", []),
        "0013-userdata-provisioning-snippets.md": (13, "Userdata provisioning snippets", "proposed", "2017-07-14", []),
        "0014-launch-config-change-propagation-process.md": (14, "Launch Config change propagation process", "accepted", "2017-07-14", []),
        "0015-dns-infrastructure.md": (15, "DNS infrastructure", "accepted", "2018-03-06", []),
        "0016-internal-dns-zones.md": (16, "internal DNS zones", "accepted", "2017-07-19", []),
        "0017-terraform-data-structure.md": (17, "Terraform Data Structure", "accepted", "2017-07-14", [("amends", "0010-terraform-directory-structure.md")]),
        "0018-use-rds-instead-of-provisioned-ec2-databases.md": (18, "Use RDS instead of provisioned EC2 databases", "accepted", "2017-08-01", []),
        "0019-centralise-mysql-databases.md": (19, "Centralise MySQL Databases", "accepted", "2017-08-02", []),
        "0020-merge-api-postgresql-instance-into-main-postgresql-instance.md": (20, "Merge API PostgreSQL instance into main PostgreSQL instance", "accepted", "2017-08-07", []),
        "0021-use-acm-for-ssl-purchases-and-terminate-certificates-on-elbs.md": (21, "Use ACM for SSL purchases and terminate certificates on ELBs", "accepted", "2017-08-14", []),
        "0022-remove-the-elasticsearch-proxy.md": (22, "Remove the Elasticsearch proxy", "accepted", "2017-08-16", []),
        "0023-use-separate-data-repository.md": (23, "Use separate data repository", "accepted", "2017-08-18", []),
        "0024-ami-lookups.md": (24, "AMI Lookups", "accepted", "2017-08-29", []),
        "0025-use-elasticache-for-redis.md": (25, "Use Elasticache for Redis", "accepted", "2017-09-04", []),
        "0026-remove-load-balancer-tier.md": (26, "Remove load balancer tier", "accepted", "2017-08-16", []),
        "0027-move-publicapi-away-from-frontend-lb.md": (27, "Move PublicAPI away from frontend-lb", "accepted", "2017-09-04", []),
        "0028-combine-api-mongo-cluster-into-mongo-cluster.md": (28, "Combine api-mongo cluster into mongo cluster", "accepted", "2017-09-14", []),
        "0029-combine-api-redis-into-backend-redis.md": (29, "Combine api-redis into backend-redis", "accepted", "2017-09-14", []),
        "0030-change-in-architecture-to-asset-master.md": (30, "Change in architecture to Asset Master", "accepted", "2017-09-15", []),
        "0031-security-group-naming.md": (31, "Security Groups in Terraform", "proposed", "2017-11-28", []),
        "0032-transfer-artefact-binary.md": (32, "transfer artefact binary", "accepted", "2018-03-26", []),
        "0033-ip-ranges.md": (33, "Networking Outline", "proposed", "2018-09-26", []),
        "0035-bouncer-load-balancer-on-port-80-and-443.md": (35, "Bouncer Public Load Balancer Configuration", "proposed", "2018-10-22", []),
        "0036-performance-platform-and-backdrop-architecture.md": (36, "Performance-Platform-And-BackDrop-Architecture", "proposed", "2019-01-23", []),
        "0037-alb-health-checks.md": (37, "ALB Health Checks", "accepted", "2019-06-24", []),
        "0038-mongo_replacement_by_documentdb.md": (38, "Mongo Replacement by DocumentDB", "accepted", "2019-10-17", []),
        "0039-non-govuk-domain-policy.md": (39, "Non-GOV.UK domain policy", "accepted", "2022-10-10", []),
    },
}  # fmt: skip

# status as written, where it is not simply the word: the raw text is kept beside it
STATUS_TEXT = {
    (GOVUK, "0006-puppet-architecture.md"): "Pending",
    (GOVUK, "0038-mongo_replacement_by_documentdb.md"): "Approved",
    (GOVUK, "0003-aws-networking-outline.md"): "Partly superseded",
    (GOVUK, "0004-dns-definitions-for-hosts-and-services.md"): (
        "Superseded by [DNS Infrastructure](0015-dns-infrastructure.md)"
    ),
}

# folder -> every problem lint reports by default: (file or "." for the folder, code,
# line), and why it is real
REAL_PROBLEMS: dict[str, dict[tuple[str, str, int | None], str]] = {
    ADR_TOOLS: {},  # numbered without gaps, every status stated, both sides of each amend
    LOG4BRAINS: {},  # dated names (no numbering to check); the supersede is on both sides
    MADR: {
        (".", "ADR021", None): "18 of the 19 records state no status (only 0003's front "
        "matter has one): said once for the folder, not 18 times",
    },
    GOVUK: {
        (".", "ADR002", None): "there is no 0034: the numbers run 0001-0033, then 0035-0039",
        ("0015-dns-infrastructure.md", "ADR014", 7): "0004 says it is superseded by 0015, "
        "but 0015 does not say it supersedes 0004",
        ("0031-security-group-naming.md", "ADR006", 1): "titled 'Security Groups in "
        "Terraform' like 0012, though its file is about security group naming",
        ("0033-ip-ranges.md", "ADR005", 1): "its heading is `# 3. Networking Outline`, "
        "copied from 0003, in a file numbered 33",
        ("0033-ip-ranges.md", "ADR006", 1): "titled 'Networking Outline' like 0003, though "
        "its file is about IP ranges",
        ("0035-bouncer-load-balancer-on-port-80-and-443.md", "ADR005", 1): "its heading "
        "says `# 3.` in a file numbered 35",
    },
}

# images the records show, left out of the copies (see the corpora's README): reported
# only when the check is selected, since a folder is often copied without its pictures
MISSING_IMAGES = {
    MADR: {
        ("0008-add-status-field.md", "0008-example-badge.png"),
        ("0008-add-status-field.md", "0008-example-separate-heading.png"),
        ("0008-add-status-field.md", "0008-example-table.png"),
        ("0013-use-yaml-front-matter-for-meta-data.md", "0013-example.png"),
    },
    GOVUK: {
        ("0015-dns-infrastructure.md", "./0015-govuk-aws-dns.jpg?raw=true"),
        (
            "0027-move-publicapi-away-from-frontend-lb.md",
            "./0027-move-publicapi-away-from-frontend-lb-img01.jpg?raw=true",
        ),
        ("0032-transfer-artefact-binary.md", "./0032-transfer-artefact-binary-img01.png?raw=true"),
        (
            "0036-performance-platform-and-backdrop-architecture.md",
            "./0036-performance-platform-and-backdrop-architecture-img01.png?raw=true",
        ),
    },
    ADR_TOOLS: set(),
    LOG4BRAINS: set(),
}

FOLDERS = sorted(EXPECTED)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_record_is_read_as_written(folder: str) -> None:
    code, out = run("list", "--dir", str(CORPORA / folder), "--format", "json")
    assert code == 0
    seen = {
        entry["file"]: (
            entry["number"],
            entry["title"],
            entry["status"],
            entry["date"],
            sorted((link["kind"], link["record"]) for link in entry["links"]),
        )
        for entry in json.loads(out)
    }
    assert seen == EXPECTED[folder]


def test_statuses_keep_the_text_as_written() -> None:
    for (folder, name), written in STATUS_TEXT.items():
        _, out = run("list", "--dir", str(CORPORA / folder), "--format", "json")
        entry = next(e for e in json.loads(out) if e["file"] == name)
        assert entry["status_text"] == written


def _lint(folder: str, *extra: str) -> tuple[int, dict]:
    code, out = run("lint", "--dir", str(CORPORA / folder), "--format", "json", *extra)
    return code, json.loads(out)


def _problem_key(folder: str, problem: dict) -> tuple[str, str, int | None]:
    file = Path(problem["file"])
    return ("." if file == CORPORA / folder else file.name, problem["code"], problem["line"])


@pytest.mark.parametrize("folder", FOLDERS)
def test_lint_reports_only_the_real_problems(folder: str) -> None:
    code, data = _lint(folder)
    found = [_problem_key(folder, p) for p in data["problems"]]
    assert sorted(found, key=str) == sorted(REAL_PROBLEMS[folder], key=str)
    assert code == (1 if REAL_PROBLEMS[folder] else 0)
    assert all(p["fix"] and p["severity"] in ("error", "warning") for p in data["problems"])


@pytest.mark.parametrize("folder", FOLDERS)
def test_missing_images_are_found_when_asked_for(folder: str) -> None:
    _, data = _lint(folder, "--select", "missing-file")
    found = {
        (Path(p["file"]).name, p["message"].split(" ")[2].rstrip(",")) for p in data["problems"]
    }
    assert found == MISSING_IMAGES[folder]


@pytest.mark.parametrize("folder", [MADR, GOVUK])
def test_a_baseline_then_reports_only_what_it_does_not_know(folder: str, tmp_path: Path) -> None:
    baseline = tmp_path / "lint-baseline.json"
    assert _lint(folder, "--baseline", str(baseline))[0] == 0  # today's problems saved
    code, data = _lint(folder, "--baseline", str(baseline))
    assert (code, data["problems"]) == (0, [])
    assert data["baseline"]["known"] == len(REAL_PROBLEMS[folder])

    # a problem the baseline does not know is reported, and only that one
    saved = json.loads(baseline.read_text())
    forgotten = saved["problems"].pop()
    baseline.write_text(json.dumps(saved))
    code, data = _lint(folder, "--baseline", str(baseline))
    assert code == 1
    assert [p["code"] for p in data["problems"]] == [forgotten["code"]]
    assert data["problems"][0]["message"] == forgotten["message"]
