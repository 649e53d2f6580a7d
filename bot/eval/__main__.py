"""`make eval`: train each NLU variant, score it on the evaluation sets, write a report.

Variants: the full pipeline (config.yml), ablations of it (without lemmas, transliteration,
the language component, the open-world training data, the calibration component, the
tuned thresholds), and the baseline (the pipeline `rasa init` uses, read from the installed
Rasa). Sets: the held-out test set, the realistic test set and the development set
(bot/eval/testset.py). Scores: intent accuracy per writing form, and what the assistant
would do with each message (bot/eval/outcomes.py). The report (markdown + confusion-matrix
PNG) goes to results/eval/, which is not committed.

    python -m bot.eval [--variants full baseline ...] [--folds K] [--out results/eval]
"""

from __future__ import annotations

import argparse
import copy
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
import yaml

from bot.eval.metrics import Prediction, Scores, score
from bot.eval.outcomes import CATEGORIES, OutcomeScores, score_outcomes
from bot.eval.testset import FORMS, SETS, Example, load_agent, load_test_set, parse_examples
from bot.knowledge import default_knowledge
from bot.langid import detect_writing_form
from bot.processes import RASA, ProcessGroup, wait_until_up
from bot.settings import PROJECT_DIR, load_env

ENTITY_TYPES = ("protocol", "email_client")
LANGUAGE_DETECTOR = "bot.nlu.language_detector.LanguageDetector"
TOKENIZER = "bot.nlu.tokenizer.BilingualTokenizer"
CALIBRATOR = "bot.nlu.calibration.IntentCalibrator"
FALLBACK = "FallbackClassifier"
# The thresholds before they were chosen on the development set (`python -m bot.eval.tune`).
UNTUNED_FALLBACK = {"threshold": 0.3, "ambiguity_threshold": 0.05}
# The training data written for the open world (out of scope, faults, symptoms, boundaries).
OPEN_WORLD_DATA = ("data/nlu/open_world", "data/nlu/boundaries")


def load_config() -> dict:
    with open(PROJECT_DIR / "config.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _set_tokenizer(config: dict, **options: object) -> dict:
    config = copy.deepcopy(config)
    for component in config["pipeline"]:
        if component["name"] == TOKENIZER:
            component.update(options)
    return config


def baseline_config() -> dict:
    import rasa.engine.recipes

    path = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
    with open(path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config["assistant_id"] = "baseline"
    return config


def _without(config: dict, name: str) -> dict:
    config = copy.deepcopy(config)
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != name]
    return config


def variants() -> dict[str, dict]:
    full = load_config()
    no_language = _without(_set_tokenizer(full, use_writing_form=False), LANGUAGE_DETECTOR)
    untuned = copy.deepcopy(full)
    for component in untuned["pipeline"]:
        if component["name"] == FALLBACK:
            component.update(UNTUNED_FALLBACK)
    return {
        "full": full,
        "no_open_world_data": full,  # same pipeline, trained without OPEN_WORLD_DATA
        "no_calibration": _without(full, CALIBRATOR),
        "untuned_thresholds": untuned,
        "no_lemmas": _set_tokenizer(full, lemmatize=False),
        "no_translit": _set_tokenizer(full, transliterate=False),
        "no_language": no_language,
        "baseline": baseline_config(),
    }


def training_data(name: str, out: Path) -> str:
    """The NLU data a variant trains on: all of data/nlu, or all but OPEN_WORLD_DATA."""
    if name != "no_open_world_data":
        return "data/nlu"
    folder = out / "data-without-open-world"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in (PROJECT_DIR / "data" / "nlu").rglob("*.yml"):
        if not str(path.relative_to(PROJECT_DIR)).startswith(OPEN_WORLD_DATA):
            target = folder / path.relative_to(PROJECT_DIR / "data" / "nlu")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return str(folder)


def train(name: str, config: dict, out: Path) -> tuple[Path, float]:
    config_path = out / f"config-{name}.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    start = time.monotonic()
    subprocess.run(
        [
            RASA,
            "train",
            "nlu",
            "--config",
            str(config_path),
            "--nlu",
            training_data(name, out),
            "--out",
            str(out / "models"),
            "--fixed-model-name",
            name,
        ],
        cwd=PROJECT_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out / "models" / f"{name}.tar.gz", time.monotonic() - start


def parse_sets(model: Path) -> dict[str, list[tuple[Example, dict]]]:
    """Every evaluation set parsed by `model`: (example, Rasa's parse result)."""
    agent = load_agent(model)
    out: dict[str, list[tuple[Example, dict]]] = {}
    for name, folder in SETS.items():
        examples = load_test_set(folder)
        out[name] = list(zip(examples, parse_examples(agent, examples), strict=True))
    return out


def predictions(parsed: list[tuple[Example, dict]]) -> list[Prediction]:
    return [
        Prediction(
            example,
            result["intent"]["name"],
            tuple(
                (e["entity"], str(e["value"]))
                for e in result.get("entities", [])
                if e["entity"] in ENTITY_TYPES
            ),
        )
        for example, result in parsed
    ]


def outcomes(parsed: list[tuple[Example, dict]]) -> OutcomeScores:
    return score_outcomes(default_knowledge(), [(e.intent, e.text, result) for e, result in parsed])


def parse_latency(model: Path, n: int = 300) -> tuple[float, float]:
    """p50 and p95 of POST /model/parse against a real Rasa server, in milliseconds."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    group = ProcessGroup()
    try:
        # No endpoints file: /model/parse needs neither a tracker store nor actions.
        proc = group.start(
            [
                RASA,
                "run",
                "--enable-api",
                "--port",
                str(port),
                "--model",
                str(model),
                "--endpoints",
                str(model.parent / "no-endpoints.yml"),
            ],
            log=model.parent / "latency-server.log",
        )
        wait_until_up(f"http://localhost:{port}/", 300, proc)
        texts = [e.text for e in load_test_set()]
        session = requests.Session()
        for text in texts[:20]:  # warm-up
            session.post(f"http://localhost:{port}/model/parse", json={"text": text}, timeout=30)
        timings = []
        for i in range(n):
            start = time.perf_counter()
            session.post(
                f"http://localhost:{port}/model/parse", json={"text": texts[i % len(texts)]}, timeout=30
            ).raise_for_status()
            timings.append((time.perf_counter() - start) * 1000)
        quantiles = statistics.quantiles(timings, n=20)
        return statistics.median(timings), quantiles[18]
    finally:
        group.stop()


def confusion_png(predictions: list[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted({p.example.intent for p in predictions} | {p.intent for p in predictions})
    matrix = confusion_matrix(
        [p.example.intent for p in predictions], [p.intent for p in predictions], labels=labels
    )
    fig, ax = plt.subplots(figsize=(12, 11))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(
                    j,
                    i,
                    matrix[i, j],
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black",
                )
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Intent confusion matrix (test set, full pipeline)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cross_validation(folds: int, out: Path) -> str:
    cv_dir = out / "cv"
    result = subprocess.run(
        [
            RASA,
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            "config.yml",
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(cv_dir),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    lines = [
        ln
        for ln in (result.stdout + result.stderr).splitlines()
        if "test" in ln.lower() and ("accuracy" in ln.lower() or "f1" in ln.lower())
    ]
    return "\n".join(lines[-12:]) or f"(see {cv_dir})"


def outcome_table(rows: dict[str, OutcomeScores]) -> list[str]:
    lines = [
        "| variant | n | " + " | ".join(CATEGORIES) + " | OOS recall | OOS precision | in-scope right |",
        "|" + "---|" * (6 + len(CATEGORIES)),
    ]
    for name, o in rows.items():
        shares = " | ".join(f"{o.shares[c]:.3f}" for c in CATEGORIES)
        lines.append(
            f"| {name} | {o.n} | {shares} | {o.oos_recall:.3f} | {o.oos_precision:.3f} "
            f"| {o.in_scope_right:.3f} |"
        )
    return lines


def report(
    results: dict[str, tuple[Scores, float]],
    behaviour: dict[str, dict[str, OutcomeScores]],
    latency: tuple[float, float] | None,
    language_accuracy: tuple[float, int],
    cv: str | None,
) -> str:
    lines = [
        "# NLU evaluation",
        "",
        f"Test set: {len(load_test_set())} messages (tests/nlu/*.yml), none of them in the training data.",
        f"Realistic test set: {len(load_test_set(SETS['realistic']))} messages (tests/nlu/realistic/). "
        f"Development set (thresholds are chosen on it): {len(load_test_set(SETS['dev']))} (tests/nlu_dev/).",
        "",
        "## Intent accuracy on the test set",
        "",
    ]
    header = "| variant | accuracy | " + " | ".join(FORMS) + " | out-of-scope recall | "
    header += " | ".join(f"{e} F1" for e in ENTITY_TYPES) + " | training s |"
    lines += [header, "|" + "---|" * (6 + len(FORMS))]
    for name, (s, seconds) in results.items():
        forms = " | ".join(f"{s.accuracy_by_form[f]:.3f}" for f in FORMS)
        ents = " | ".join(f"{s.entity_f1[e]:.3f}" for e in ENTITY_TYPES)
        lines.append(f"| {name} | {s.accuracy:.3f} | {forms} | {s.oos_recall:.3f} | {ents} | {seconds:.0f} |")
    lines += [
        "",
        f"Language detection: {language_accuracy[0]:.3f} correct or undecided "
        f"({language_accuracy[1]} undecided, which keep the conversation's language).",
        "",
    ]
    if latency:
        lines += [
            f"/model/parse latency (full pipeline, 300 sequential requests): "
            f"p50 {latency[0]:.1f} ms, p95 {latency[1]:.1f} ms.",
            "",
        ]
    lines += [
        "## What the assistant does with each message",
        "",
        "Shares of each set (bot/eval/outcomes.py): answered with the right topic, clarified with",
        "the right topic among the buttons, outside the article and declined / triaged / asked to",
        "rephrase, unhelpful but not wrong, **answered with a wrong topic**. OOS = outside the",
        "article (out_of_scope or mail_not_working).",
        "",
    ]
    for set_name in SETS:
        lines += [f"### {set_name}", ""]
        lines += outcome_table({v: sets[set_name] for v, sets in behaviour.items() if set_name in sets})
        lines.append("")
    if "full" in results:
        full = results["full"][0]
        lines += [
            "## Per intent (full pipeline, test set)",
            "",
            "| intent | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for intent, (p, r, f1, n) in full.per_intent.items():
            lines.append(f"| {intent} | {p:.2f} | {r:.2f} | {f1:.2f} | {n} |")
        lines += [
            "",
            "![confusion matrix](confusion_matrix.png)",
            "",
            "## Errors (full pipeline, test set)",
            "",
        ]
        lines += [
            f"- [{e.example.form}] `{e.example.intent}` → `{e.intent}`: {e.example.text}" for e in full.errors
        ]
    if "full" in behaviour:
        for category in ("wrong", "unhelpful"):
            lines += ["", f"## Realistic set: {category} (full pipeline)", ""]
            for gold, text, decided in behaviour["full"]["realistic"].by_category[category]:
                got = decided.intent or ", ".join(decided.candidates) or "-"
                lines.append(f"- `{gold}` → {decided.kind} `{got}`: {text}")
    if cv:
        lines += ["", "## Cross-validation (rasa test nlu)", "", "```", cv, "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    all_variants = variants()
    parser.add_argument("--variants", nargs="+", default=list(all_variants), choices=list(all_variants))
    parser.add_argument("--folds", type=int, default=0, help="also run k-fold cross-validation")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "results" / "eval")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--model", type=Path, help="score this trained model as `full` instead of training")
    args = parser.parse_args(argv)
    load_env()
    args.out.mkdir(parents=True, exist_ok=True)

    results: dict[str, tuple[Scores, float]] = {}
    behaviour: dict[str, dict[str, OutcomeScores]] = {}
    latency = None
    for name in ["full"] if args.model else args.variants:
        print(f"== {name}: training", flush=True)
        model, seconds = (args.model, 0.0) if args.model else train(name, all_variants[name], args.out)
        parsed = parse_sets(model)
        test_predictions = predictions(parsed["current"])
        results[name] = (score(test_predictions, ENTITY_TYPES), seconds)
        behaviour[name] = {set_name: outcomes(items) for set_name, items in parsed.items()}
        realistic = behaviour[name]["realistic"]
        print(
            f"   accuracy {results[name][0].accuracy:.3f}; realistic: wrong {realistic.shares['wrong']:.3f}, "
            f"OOS recall {realistic.oos_recall:.3f}, precision {realistic.oos_precision:.3f}; "
            f"trained in {seconds:.0f}s",
            flush=True,
        )
        if name == "full":
            confusion_png(test_predictions, args.out / "confusion_matrix.png")
            if not args.no_latency:
                latency = parse_latency(model)

    examples = load_test_set()
    forms = [detect_writing_form(e.text) for e in examples]
    language = (
        sum(f in (e.form, None) for f, e in zip(forms, examples, strict=True)) / len(examples),
        forms.count(None),
    )
    cv = cross_validation(args.folds, args.out) if args.folds else None
    text = report(results, behaviour, latency, language, cv)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"Report: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
