"""Incremental re-linking: after a change, resolve and link only the documents it can reach.

The build keeps a :class:`LinkState` beside the store (``<store>.link-state``): per document,
in corpus order, its :class:`~kgraph.link.deps.Features` and the input digest of the facts its
stored graph was made from. The state carries a header (state format, the linking and graph
code, base IRI, council, strictness) and a digest of its own bytes; a state whose header or
digest does not match is not used, and the build links the whole corpus.

:func:`relink` compares the documents read now with the state: new, removed and renamed
documents are *changed*; documents whose stored graph does not carry the recorded digest
(a failed or interrupted write, a store changed behind the build's back) are *pending*. It
resolves the changed documents and those whose resolution reads them (a provision left to the
corpus, a report matched to a changed Record of Decision), then finds every document whose
links can read a changed one (:class:`~kgraph.link.deps.Neighbourhood`) or a decision whose
merged info changed, and links those *affected* documents over the sub-corpus of what they
read, with the whole corpus's merged decisions injected. The facts of the affected documents
equal those of a build from scratch (``tests/graph/test_incremental.py`` compares the stores
quad for quad); everything else is left alone. It returns ``None`` — link everything — when
the corpus order changed, when a corpus-wide value (the council agreements are named against,
the scope of agreement IRIs) changed, or when the change reaches more than
:data:`MAX_AFFECTED_SHARE` of the corpus.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.extract.document import DocExtraction
from kgraph.extract.formats.facts import add_file_facts
from kgraph.extract.structure import pinned_sentences
from kgraph.iris import Iris
from kgraph.link.corpus import link_corpus
from kgraph.link.deps import (
    Features,
    Neighbourhood,
    decision_infos,
    features_of,
    info_key,
    named_acts,
)
from kgraph.link.resolve import resolve_corpus
from kgraph.model import Document, LegislationMention, Mention

__all__ = ["LinkState", "relink", "Relinked", "link_documents", "load_state", "save_state", "STATE_VERSION",
           "MAX_AFFECTED_SHARE"]

#: Format of the saved state (a different one is not read).
STATE_VERSION = 1
#: Share of the corpus above which a change is re-linked with the whole corpus (cheaper then).
MAX_AFFECTED_SHARE = 0.5

Extract = Callable[[list[Document]], list[DocExtraction]]


@dataclass
class LinkState:
    """What the last build knew of each document: features and stored input digest, in corpus order."""

    header: dict
    order: list[str] = field(default_factory=list)
    features: dict[str, Features] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class Relinked:
    """The facts of the documents a change reaches, and the state after it."""

    facts: list[dict]
    state: LinkState
    #: documents resolved again (changed or reading a changed one), linked documents, sub-corpus size
    resolved: int = 0
    linked: int = 0
    context: int = 0


# ------------------------------------------------------------------ persistence


def state_path(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.name}.link-state")


def save_state(store_path: Path | None, state: LinkState) -> None:
    """Pickle the state beside the store, with the digest of its bytes (best effort)."""
    if store_path is None:
        return
    body = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    path = state_path(store_path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(hashlib.sha256(body).digest() + body)
        tmp.replace(path)
    except OSError:
        pass


def load_state(store_path: Path | None, header: dict) -> LinkState | None:
    """The saved state if it is intact and was made under ``header``; else None."""
    if store_path is None:
        return None
    try:
        raw = state_path(store_path).read_bytes()
    except OSError:
        return None
    digest, body = raw[:32], raw[32:]
    if hashlib.sha256(body).digest() != digest:
        return None
    try:
        state = pickle.loads(body)
    except Exception:  # noqa: BLE001 - an unreadable state is rebuilt, whatever broke it
        return None
    if not isinstance(state, LinkState) or state.header != header:
        return None
    return state


def drop_state(store_path: Path | None) -> None:
    if store_path is not None:
        state_path(store_path).unlink(missing_ok=True)


# ------------------------------------------------------------------ resolving and linking


def _context_legislation(named: dict[str, frozenset[str]]) -> list[LegislationMention]:
    """The corpus's named provisions as mentions, so a partial resolution sees the whole corpus's."""
    return [LegislationMention(Mention("", 0, 0), act, provision, "explicit")
            for provision, acts in sorted(named.items()) for act in sorted(acts)]


def link_documents(exts: list[DocExtraction], docs: list[Document], iris: Iris, *, named=None,
                   decisions=None, link: bool = True, keep: set[str] | None = None,
                   ) -> tuple[list[dict], dict[str, Features]]:
    """Resolve, then link (unless ``link`` is false), the documents of ``exts`` (corpus order);
    returns their facts and their features (taken between resolving and linking). ``named``
    and ``decisions`` stand in for the rest of the corpus in a partial run, whose facts are
    wanted only for the documents in ``keep``. ``exts`` is emptied once resolved, so that the
    extractions need not stay in memory while the corpus is linked."""
    texts = {d.id: d.text for d in docs}
    context = _context_legislation(named) if named else ()
    with pinned_sentences({e.document.text: e.sentences for e in exts if e.sentences}):
        facts = resolve_corpus(exts, iris, context_legislation=context)
        features = {f["document"]["id"]: features_of(f, texts[e.document.id], e.legislation,
                                                     [p.text for p in e.decision.points])
                    for f, e in zip(facts, exts, strict=True)}
        exts.clear()
        if link:
            link_corpus(facts, texts, decisions=decisions, only=keep)
    if keep is not None:
        facts = [f for f in facts if f["document"]["id"] in keep]
    if link:
        add_file_facts(facts, docs)
    return facts, features


def _pre_features(e: DocExtraction) -> Features:
    """The resolution-level features, read from the extraction alone."""
    facts = {"document": {"id": e.document.id, "source": e.document.source, "kind": e.document.kind},
             "decisions": [], "organisations": [], "legislation": [], "amounts": []}
    return features_of(facts, "", e.legislation, [p.text for p in e.decision.points])


def _first(features: list[Features], attr: str):
    return next((getattr(f, attr) for f in features if getattr(f, attr) is not None), None)


def relink(docs: list[Document], state: LinkState, stored: dict[str, str], extract: Extract,
           iris: Iris) -> Relinked | None:
    """Facts of the documents the change since ``state`` reaches (see the module docstring).

    ``docs`` is the corpus read now (in order), ``stored`` the input digest of each stored
    document graph (graph IRI → digest), ``extract`` gives extractions of documents (cache or
    pipeline). None means: link the whole corpus.
    """
    by_id = {d.id: d for d in docs}
    current = [d.id for d in docs]
    old = state.features
    if [i for i in state.order if i in by_id] != [i for i in current if i in old]:
        return None  # documents moved: order-dependent choices may differ
    changed = [i for i in current if i not in old or old[i].source != by_id[i].source]
    removed = [i for i in state.order if i not in by_id]
    pending = {i for i in current if i not in changed
               and stored.get(iris.document(by_id[i].sha256)) != state.digests.get(i)}
    if not changed and not removed and not pending:
        return Relinked([], state)

    exts: dict[str, DocExtraction] = {}

    def load(ids) -> None:
        want = [by_id[i] for i in current if i in ids and i not in exts]
        for e in extract(want):
            exts[e.document.id] = e

    # 1. resolution: the changed documents, and those whose resolution reads them
    load(set(changed))
    pre = {i: old[i] for i in current if i in old and i not in changed}
    pre.update({i: _pre_features(exts[i]) for i in changed})
    named_old = named_acts(old.values())
    named_new = named_acts(pre.values())
    bases = {b for b in named_old.keys() | named_new.keys() if named_old.get(b) != named_new.get(b)}
    nb_pre = Neighbourhood([pre[i] for i in current], infos={})
    resolve = set(changed) | {i for b in bases for i in nb_pre.by_open.get(b, ())}
    for t in [old[i] for i in removed + changed if i in old] + [pre[i] for i in changed]:
        resolve |= nb_pre.reports_matching(t)
    context = set().union(*(nb_pre.records_matching(pre[i]) for i in resolve)) - resolve
    load(resolve | context)
    order = [i for i in current if i in resolve or i in context]
    _, fresh = link_documents([exts[i] for i in order], [by_id[i] for i in order], iris, named=named_new,
                              link=False)
    new = {i: (fresh[i] if i in resolve else old[i]) for i in current}
    new_list = [new[i] for i in current]
    old_list = [old[i] for i in state.order]
    for attr in ("first_la", "prefix"):
        if _first(old_list, attr) != _first(new_list, attr):
            return None

    # 2. linking: who reads a changed document, or a decision whose merged info changed
    infos_old, infos_new = decision_infos(old_list), decision_infos(new_list)
    touched_old = [old[i] for i in removed + sorted(resolve) if i in old]
    touched_new = [new[i] for i in sorted(resolve)]
    iris_changed = set().union(*(f.names for f in touched_old + touched_new))
    delta = {i for i in iris_changed if info_key(infos_old.get(i)) != info_key(infos_new.get(i))}
    dates = {x.date for i in delta for x in (infos_old.get(i), infos_new.get(i)) if x is not None and x.date}
    nb_old, nb_new = Neighbourhood(old_list, infos_old), Neighbourhood(new_list, infos_new)
    touched_old += [old[j] for i in delta for j in nb_old.by_own.get(i, ())]
    touched_new += [new[j] for i in delta for j in nb_new.by_own.get(i, ())]
    active = nb_old.active | nb_new.active
    affected = resolve | pending
    affected |= {j for i in delta for j in nb_new.by_name.get(i, ())}
    affected |= {j for d in dates for j in nb_new.by_date.get(d, ())}
    for t in touched_old:
        affected |= nb_old.readers(t, active)
    for t in touched_new:
        affected |= nb_new.readers(t, active)
    affected &= set(by_id)
    if len(affected) > MAX_AFFECTED_SHARE * len(current):
        return None

    # 3. link the affected documents over what they read
    sub = set(affected).union(*(nb_new.reads(new[i]) for i in affected))
    for attr in ("first_la", "prefix"):
        holder = next((f.id for f in new_list if getattr(f, attr) is not None), None)
        if holder is not None:
            sub.add(holder)
    sub |= set().union(*(nb_new.records_matching(new[i]) for i in sub))
    load(sub)
    order = [i for i in current if i in sub]
    out, _ = link_documents([exts[i] for i in order], [by_id[i] for i in order], iris, named=named_new,
                            decisions=infos_new, keep=affected)
    digests = {i: state.digests[i] for i in current if i in state.digests and i not in affected}
    return Relinked(out, LinkState(state.header, current, new, digests),
                    resolved=len(resolve), linked=len(affected), context=len(sub))
