"""SpanTagger: a token tagger that learns text spans (named entities and the like).

Documents are split with :func:`nbannotate.formats.tokens.tokenize` (code-point offsets).
Each token is described by hashed features (its lowercase form, shape, prefixes and
suffixes, and the same for its neighbours ±2) and a linear classifier gives each token a
probability for every BIO tag (``O``, ``B-<label>``, ``I-<label>``). The most probable valid
tag sequence (Viterbi, ``I-<label>`` only after ``B-``/``I-<label>``) gives the spans, each
scored by the mean probability of its tokens' tags. A document's uncertainty is the mean
over its tokens of ``1 - max tag probability`` (scaled to [0, 1]); on the generated corpus of
``benchmarks/structured_models.py`` this mean chose better documents to label than the mean
over the least sure 10% or 2% of tokens.

Training spans are aligned to the tokens they touch. BIO tags cannot hold overlapping spans:
the tagger trains on a non-overlapping subset (earliest start first, the longer one on ties)
and warns with :class:`~nbannotate.models.protocol.DroppedAnnotationsWarning` naming the
spans left out.

Examples
--------
>>> from nbannotate.models._synthetic import make_entity_documents
>>> docs, spans = make_entity_documents(40, seed=0)
>>> tagger = SpanTagger().fit(docs, spans)
>>> found = tagger.predict(["Dr. Anna Novak said hello in Lagos 😀."])[0]
>>> [(s["text"], s["label"]) for s in found]
[('Anna Novak', 'PER'), ('Lagos', 'LOC')]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import (
    ModelBase,
    check_choice,
    check_number,
    drop_overlaps,
    model_record,
    unit_uncertainty,
    warn_dropped,
)
from ._bio import viterbi_bio
from ._inputs import as_text, check_fit_args, records_of
from ._token_features import TokenHasher

__all__ = ["SpanTagger"]


def _tokens(text: str) -> list[tuple[int, int]]:
    from ..formats.tokens import tokenize

    return tokenize(text)


class SpanTagger(ModelBase):
    """Learn labelled text spans from examples; predict span records with scores.

    Parameters
    ----------
    labels : sequence of str, optional
        The span labels. By default, the labels seen in the training spans (sorted).
    classifier : {"logistic", "sgd"}, default "logistic"
        ``"logistic"``: scikit-learn's ``LogisticRegression`` refit on every ``fit``.
        ``"sgd"``: ``SGDClassifier(loss="log_loss")``, which also supports
        :meth:`partial_fit` (cheap incremental updates, somewhat lower F1 with few labels).
    C : float, default 10.0
        Inverse regularisation strength of the logistic regression.
    alpha : float, default 1e-5
        Regularisation of the SGD classifier.
    n_features : int, default 2**18
        Size of the hashed feature space.
    min_score : float, default 0.0
        Predicted spans scoring below this are left out.
    n_threads : int or None, default 1
        Cap on BLAS/OpenMP threads while fitting and predicting (``None``: no cap).
    random_state : int or None, default 0
        Seed of the SGD classifier's shuffling.

    Attributes
    ----------
    labels_ : list of str
    tags_ : list of str
        ``["O", "B-<label 0>", "I-<label 0>", ...]``.
    n_dropped_ : int
        Overlapping training spans left out by the last fit.

    Examples
    --------
    >>> docs = ["Anna met Boris in Oslo.", "Boris saw Anna in Lima.", "Nobody came."]
    >>> spans = [[{"start": 0, "end": 4, "label": "PER"}, {"start": 9, "end": 14,
    ...            "label": "PER"}, {"start": 18, "end": 22, "label": "LOC"}],
    ...          [{"start": 0, "end": 5, "label": "PER"}, {"start": 10, "end": 14,
    ...            "label": "PER"}, {"start": 18, "end": 22, "label": "LOC"}], []]
    >>> tagger = SpanTagger().fit(docs, spans)
    >>> [(s["text"], s["label"]) for s in tagger.predict(["Anna saw Boris in Oslo."])[0]]
    [('Anna', 'PER'), ('Boris', 'PER'), ('Oslo', 'LOC')]
    """

    def __init__(self, labels: Sequence[str] | None = None, *, classifier: str = "logistic",
                 C: float = 10.0, alpha: float = 1e-5,  # noqa: N803 (scikit-learn's name)
                 n_features: int = 2**18, min_score: float = 0.0, n_threads: int | None = 1,
                 random_state: int | None = 0) -> None:
        self.labels = labels
        self.classifier = classifier
        self.C = C
        self.alpha = alpha
        self.n_features = n_features
        self.min_score = min_score
        self.n_threads = n_threads
        self.random_state = random_state

    # ------------------------------------------------------------------ parameters
    def _check_params(self) -> None:
        check_choice("classifier", self.classifier, ("logistic", "sgd"))
        check_number("C", self.C, low=0, low_open=True)
        check_number("alpha", self.alpha, low=0, low_open=True)
        check_number("n_features", self.n_features, low=16, integer=True)
        check_number("min_score", self.min_score, low=0, high=1)
        if self.labels is not None:
            if isinstance(self.labels, str) or not all(
                    isinstance(x, str) and x for x in self.labels):
                raise ValueError(f"labels must be a list of non-empty strings, got "
                                 f"{self.labels!r}")
            if len(set(self.labels)) != len(self.labels):
                raise ValueError(f"labels must be distinct, got {list(self.labels)!r}")

    def _featurize(self, text: str, tokens: list[tuple[int, int]]) -> Any:
        hasher = getattr(self, "_hasher", None)
        if hasher is None or hasher.n_features != self.n_features:
            hasher = self._hasher = TokenHasher(self.n_features)
        return hasher.transform(text, tokens)

    # ------------------------------------------------------------------ training data
    def _training_rows(self, items: Any, annotations: Any, labels: list[str] | None,
                       ) -> tuple[Any, np.ndarray, list[str]]:
        import scipy.sparse as sp

        items, annotations = check_fit_args(items, annotations)
        texts = [as_text(item, index) for index, item in enumerate(items)]
        spans_per_doc: list[list[dict[str, Any]]] = []
        for index, (text, records) in enumerate(zip(texts, annotations, strict=True)):
            spans = []
            for number, record in enumerate(records_of(records, ("start", "end"))):
                start, end = record["start"], record["end"]
                if (isinstance(start, bool) or isinstance(end, bool)
                        or not isinstance(start, (int, np.integer))
                        or not isinstance(end, (int, np.integer))
                        or not 0 <= start < end <= len(text)):
                    raise ValueError(f"annotations[{index}][{number}]: a span needs integer "
                                     f"offsets 0 <= start < end <= {len(text)} (the length "
                                     f"of items[{index}]), got start={start!r}, end={end!r}")
                spans.append({**record, "start": int(start), "end": int(end)})
            spans_per_doc.append(spans)
        if labels is None:
            labels = sorted({s["label"] for spans in spans_per_doc for s in spans})
        known = set(labels)
        dropped: list[tuple[int, dict[str, Any]]] = []
        rows, targets = [], []
        for index, (text, spans) in enumerate(zip(texts, spans_per_doc, strict=True)):
            for number, span in enumerate(spans):
                if span["label"] not in known:
                    raise ValueError(f"annotations[{index}][{number}]: label "
                                     f"{span['label']!r} is not one of labels={labels!r}")
            tokens = _tokens(text)
            if not tokens:
                continue
            tags = np.zeros(len(tokens), dtype=np.int64)
            starts = np.array([s for s, _ in tokens])
            ends = np.array([e for _, e in tokens])
            for span in drop_overlaps(spans, index, dropped):
                inside = np.flatnonzero((starts < span["end"]) & (ends > span["start"]))
                if inside.size == 0:
                    continue  # whitespace only: nothing to learn
                k = labels.index(span["label"])
                tags[inside[0]] = 2 * k + 1
                tags[inside[1:]] = 2 * k + 2
            rows.append(self._featurize(text, tokens))
            targets.append(tags)
        self.n_dropped_ = len(dropped)
        warn_dropped(dropped, "spans", "SpanTagger")
        if not rows:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32), np.zeros(0, int), \
                labels
        return sp.vstack(rows).tocsr(), np.concatenate(targets), labels

    def _new_classifier(self) -> Any:
        if self.classifier == "sgd":
            from sklearn.linear_model import SGDClassifier

            return SGDClassifier(loss="log_loss", alpha=self.alpha,
                                 random_state=self.random_state)
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, max_iter=300)

    # ------------------------------------------------------------------ API
    def fit(self, items: Sequence[str], annotations: Sequence[Sequence[dict[str, Any]]],
            ) -> SpanTagger:
        """Learn from documents and their span records (one list per document).

        Parameters
        ----------
        items : list of str
            The documents.
        annotations : list of list of dict
            Span records ``{start, end, label, ...}`` (code-point offsets, end exclusive); an
            empty list means "no spans in this document". Records without ``start``/``end``
            are ignored.

        Returns
        -------
        SpanTagger
            ``self``, fitted.
        """
        self._check_params()
        labels = list(self.labels) if self.labels is not None else None
        with self._thread_limit():
            features, targets, labels = self._training_rows(items, annotations, labels)
            self.labels_ = labels
            self.tags_ = ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]
            present = np.unique(targets)
            if present.size < 2:
                self.model_ = None
                self.constant_ = int(present[0]) if present.size else 0
            else:
                self.model_ = self._new_classifier()
                if self.classifier == "sgd":
                    self.columns_ = None
                    self._sgd_passes(features, targets, 20)
                else:
                    # Fit on the hashed columns that occur in training only: a few thousand
                    # instead of n_features, so L-BFGS works on a small weight matrix.
                    self.columns_ = np.unique(features.indices)
                    self.model_.fit(self._compress(features), targets)
        self.is_fitted_ = True
        return self

    def partial_fit(self, items: Sequence[str],
                    annotations: Sequence[Sequence[dict[str, Any]]]) -> SpanTagger:
        """Update the model with more labelled documents (``classifier="sgd"`` only).

        Makes 5 passes of stochastic gradient descent over the new documents. The first
        call (or :meth:`fit`) fixes the labels (from ``labels`` or the spans seen).

        Examples
        --------
        >>> docs = ["Anna met Boris.", "Boris met Anna."]
        >>> spans = [[{"start": 0, "end": 4, "label": "PER"}],
        ...          [{"start": 0, "end": 5, "label": "PER"}]]
        >>> tagger = SpanTagger(classifier="sgd").partial_fit(docs[:1], spans[:1])
        >>> tagger = tagger.partial_fit(docs[1:], spans[1:])
        >>> tagger.labels_
        ['PER']
        """
        self._check_params()
        if self.classifier != "sgd":
            raise ValueError("partial_fit needs classifier='sgd' (LogisticRegression has no "
                             f"incremental update), got classifier={self.classifier!r}")
        fitted = getattr(self, "is_fitted_", False)
        labels = self.labels_ if fitted else (list(self.labels) if self.labels is not None
                                              else None)
        with self._thread_limit():
            features, targets, labels = self._training_rows(items, annotations, labels)
            if not fitted or self.model_ is None:
                self.labels_ = labels
                self.tags_ = ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]
                self.model_ = self._new_classifier()
                self.columns_ = None
                self.constant_ = 0
            if targets.size:
                self._sgd_passes(features, targets, 5)
            elif not hasattr(self.model_, "coef_"):
                self.model_ = None
        self.is_fitted_ = True
        return self

    def _sgd_passes(self, features: Any, targets: np.ndarray, passes: int) -> None:
        rng = np.random.default_rng(self.random_state)
        classes = np.arange(len(self.tags_))
        assert self.model_ is not None
        for _ in range(passes):
            order = rng.permutation(targets.size)
            self.model_.partial_fit(features[order], targets[order], classes=classes)

    def _compress(self, features: Any) -> Any:
        """Keep the columns seen in training (``columns_``), renumbered 0..n-1."""
        import scipy.sparse as sp

        if self.columns_ is None:
            return features
        lookup = np.full(self.n_features, -1, dtype=np.int64)
        lookup[self.columns_] = np.arange(self.columns_.size)
        mapped = lookup[features.indices]
        keep = mapped >= 0
        counts = np.add.reduceat(keep.astype(np.int64), features.indptr[:-1]) \
            if features.nnz else np.zeros(features.shape[0], dtype=np.int64)
        counts[np.diff(features.indptr) == 0] = 0
        indptr = np.concatenate(([0], np.cumsum(counts)))
        return sp.csr_matrix((features.data[keep], mapped[keep], indptr),
                             shape=(features.shape[0], self.columns_.size))

    def _proba(self, text: str, tokens: list[tuple[int, int]]) -> np.ndarray:
        proba = np.zeros((len(tokens), len(self.tags_)))
        if not tokens:  # an empty or blank document: no token to tag
            return proba
        if self.model_ is None:
            proba[:, self.constant_] = 1.0
            return proba
        features = self._compress(self._featurize(text, tokens))
        proba[:, self.model_.classes_] = self.model_.predict_proba(features)
        return proba

    def _suggest_one(self, item: Any, index: int) -> tuple[list[dict[str, Any]], float]:
        text = as_text(item, index)
        tokens = _tokens(text)
        if not tokens:
            return [], 0.0
        proba = self._proba(text, tokens)
        return self._decode(text, tokens, proba), unit_uncertainty(proba, 1.0)

    def _decode(self, text: str, tokens: list[tuple[int, int]], proba: np.ndarray,
                ) -> list[dict[str, Any]]:
        tags = viterbi_bio(proba)
        chosen = proba[np.arange(len(tags)), tags]
        spans: list[dict[str, Any]] = []
        i, n = 0, len(tags)
        while i < n:
            if tags[i] == 0:
                i += 1
                continue
            k = (tags[i] - 1) // 2
            j = i + 1
            while j < n and tags[j] == 2 * k + 2:
                j += 1
            score = float(chosen[i:j].mean())
            if score >= self.min_score:
                start, end = tokens[i][0], tokens[j - 1][1]
                spans.append(model_record(self.labels_[k], score, start=start, end=end,
                                          text=text[start:end]))
            i = j
        return spans

    def token_proba(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Tokens of ``text`` and each token's probability of every tag in :attr:`tags_`.

        Examples
        --------
        >>> tagger = SpanTagger().fit(["Anna sang."], [[{"start": 0, "end": 4,
        ...                                                "label": "PER"}]])
        >>> tokens, proba = tagger.token_proba("Boris sang.")
        >>> proba.shape
        (3, 3)
        """
        self._check_fitted()
        text = as_text(text, 0)
        tokens = _tokens(text)
        with self._thread_limit():
            return tokens, self._proba(text, tokens)
