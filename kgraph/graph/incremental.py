"""Incremental re-linking: after a change, resolve and link only the documents it can reach.

The build keeps a :class:`~kgraph.graph.linkstate.LinkState` beside the store
(:mod:`kgraph.graph.linkstate`): per document, in corpus order, its
:class:`~kgraph.link.deps.Features`, the input digest of the facts its stored graph was made
from, and its facts as resolution left them (before linking). A state whose header (state
format, linking and graph code, base IRI, council, strictness) or digest does not match is not
used, and the build links the whole corpus.

:func:`relink` compares the documents read now with the state: new, removed and renamed
documents are *changed*; documents whose stored graph does not carry the recorded digest
(a failed or interrupted write, a store changed behind the build's back) are *pending*. It
resolves the changed documents and those whose resolution reads them (a provision left to the
corpus, a report matched to a changed Record of Decision), then finds every document whose
links can read a changed one (:class:`~kgraph.link.deps.Neighbourhood`) or a decision whose
merged info changed, and links those *affected* documents over the sub-corpus of what they
read, with the whole corpus's merged decisions injected. The rest of the sub-corpus comes
from the state's resolved facts (its extractions are not loaded, nor resolved again), and the
linking rules look for edges only where the affected documents' links can come from
(:meth:`Corpus.only_for <kgraph.link.index.Corpus.only_for>`). The facts of the affected
documents equal those of a build from scratch (``tests/graph/test_incremental.py`` compares
the stores quad for quad); everything else is left alone. It returns ``None`` — link
everything — when the corpus order changed, when a corpus-wide value (the council agreements
are named against, the scope of agreement IRIs) changed, when the change reaches more than
``max_share`` of the corpus (the ``max_affected_share`` setting), or when the state lacks a
document's resolved facts.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kgraph.extract.document import DocExtraction
from kgraph.extract.formats.facts import add_file_facts
from kgraph.extract.structure import pinned_sentences
from kgraph.graph.linkstate import Blobs, LinkState, drop_state, load_state, save_state, state_path
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

__all__ = ["LinkState", "relink", "Relinked", "link_documents", "load_state", "save_state", "drop_state",
           "state_path", "STATE_VERSION", "paused_gc"]

#: Format of the saved state (a different one is not read).
STATE_VERSION = 2

Extract = Callable[[list[Document]], list[DocExtraction]]


@dataclass
class Relinked:
    """The facts of the documents a change reaches, and the state after it."""

    facts: list[dict]
    state: LinkState
    #: documents resolved again (changed or reading a changed one), linked documents, sub-corpus size
    resolved: int = 0
    linked: int = 0
    context: int = 0


@contextlib.contextmanager
def paused_gc(paused: bool = True) -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block (``paused=False``: running again,
    inside a paused block); reference counting still frees what is dropped. Reading the state
    and re-linking make hundreds of thousands of small objects that live on, and each full
    collection walks all of them again: on 2,000 documents that was about 40 % of a re-link.
    Facts and features hold no reference cycles to wait for (the NLP pipeline's objects may:
    extraction runs with the collector on).

    >>> with paused_gc():
    ...     with paused_gc(False):
    ...         inner = gc.isenabled()
    ...     gc.isenabled(), inner
    (False, True)
    """
    was = gc.isenabled()
    if paused:
        gc.disable()
    else:
        gc.enable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


# ------------------------------------------------------------------ resolving and linking


def _context_legislation(named: dict[str, frozenset[str]]) -> list[LegislationMention]:
    """The corpus's named provisions as mentions, so a partial resolution sees the whole corpus's."""
    return [LegislationMention(Mention("", 0, 0), act, provision, "explicit")
            for provision, acts in sorted(named.items()) for act in sorted(acts)]


def link_documents(exts: list[DocExtraction], docs: list[Document], iris: Iris, *, named=None,
                   link: bool = True, blobs: Blobs | None = None, resolved: dict[str, str] | None = None,
                   ) -> tuple[list[dict], dict[str, Features]]:
    """Resolve, then link (unless ``link`` is false), the documents of ``exts`` (corpus order);
    returns their facts and their features (taken between resolving and linking). ``named``
    stands in for the rest of the corpus's provisions in a partial run. With ``blobs``, each
    document's resolved facts and sentences are kept there and ``resolved`` receives the blob
    names by document id. ``exts`` is emptied once resolved, so that the extractions need not
    stay in memory while the corpus is linked."""
    texts = {d.id: d.text for d in docs}
    context = _context_legislation(named) if named else ()
    with pinned_sentences({e.document.text: e.sentences for e in exts if e.sentences}):
        facts = resolve_corpus(exts, iris, context_legislation=context)
        features = {f["document"]["id"]: features_of(f, texts[e.document.id], e.legislation,
                                                     [p.text for p in e.decision.points])
                    for f, e in zip(facts, exts, strict=True)}
        if blobs is not None and resolved is not None:
            for f, e in zip(facts, exts, strict=True):
                resolved[e.document.id] = blobs.put(f, e.sentences)
        exts.clear()
        if link:
            link_corpus(facts, texts)
    if link:
        add_file_facts(facts, docs)
    return facts, features


def _link_part(facts: list[dict], sentences: dict[str, tuple], docs: list[Document], decisions: dict,
               keep: set[str], features: dict[str, Features]) -> list[dict]:
    """Link part of the corpus (resolved ``facts``, corpus order) for the links of ``keep``, with
    the whole corpus's merged ``decisions``; returns the facts of ``keep``."""
    texts = {d.id: d.text for d in docs}
    naming = {d.id for d in docs if features[d.id].active}  # the others' texts name no agreement
    with pinned_sentences({texts[i]: s for i, s in sentences.items() if s}):
        link_corpus(facts, texts, decisions=decisions, only=keep, naming_agreements=naming)
    facts = [f for f in facts if f["document"]["id"] in keep]
    add_file_facts(facts, docs)
    return facts


def _pre_features(e: DocExtraction) -> Features:
    """The resolution-level features, read from the extraction alone."""
    facts = {"document": {"id": e.document.id, "source": e.document.source, "kind": e.document.kind},
             "decisions": [], "organisations": [], "legislation": [], "amounts": []}
    return features_of(facts, "", e.legislation, [p.text for p in e.decision.points])


def _first(features: list[Features], attr: str):
    return next((getattr(f, attr) for f in features if getattr(f, attr) is not None), None)


def _merged_again(infos_old: dict, iris: set[str], nb_old: Neighbourhood, new: dict[str, Features],
                  current: list[str], resolve: set[str]) -> dict:
    """The merged decisions of the corpus now: those of the last build, with the decisions in
    ``iris`` (the ones the resolved documents name, before or now) merged again over the
    documents naming them now, in corpus order (:func:`~kgraph.link.deps.decision_infos` of
    the whole corpus, without merging it all again)."""
    position = {i: n for n, i in enumerate(current)}
    out = dict(infos_old)
    for iri in iris:
        naming = {j for j in nb_old.by_name.get(iri, ()) if j in position and j not in resolve}
        naming |= {i for i in resolve if iri in new[i].names}
        merged = decision_infos([new[j] for j in sorted(naming, key=position.__getitem__)]).get(iri)
        if merged is None:
            out.pop(iri, None)
        else:
            out[iri] = merged
    return out


def relink(docs: list[Document], state: LinkState, stored: dict[str, str], extract: Extract,
           iris: Iris, *, max_share: float = 0.5) -> Relinked | None:
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
    if state.blobs is None or any(i not in state.resolved for i in current if i in old):
        return None
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
    facts, fresh = link_documents([exts[i] for i in order], [by_id[i] for i in order], iris, named=named_new,
                                  link=False)
    # the resolved facts of the resolved documents, kept as they are before linking changes them
    resolved_now = {f["document"]["id"]: json.loads(json.dumps(f)) for f in facts if f["document"]["id"] in resolve}
    new = {i: (fresh[i] if i in resolve else old[i]) for i in current}
    new_list = [new[i] for i in current]
    old_list = [old[i] for i in state.order]
    for attr in ("first_la", "prefix"):
        if _first(old_list, attr) != _first(new_list, attr):
            return None

    # 2. linking: who reads a changed document, or a decision whose merged info changed
    infos_old = decision_infos(old_list)
    nb_old = Neighbourhood(old_list, infos_old)
    touched_old = [old[i] for i in removed + sorted(resolve) if i in old]
    touched_new = [new[i] for i in sorted(resolve)]
    iris_changed = set().union(*(f.names for f in touched_old + touched_new))
    infos_new = _merged_again(infos_old, iris_changed, nb_old, new, current, resolve)
    delta = {i for i in iris_changed if info_key(infos_old.get(i)) != info_key(infos_new.get(i))}
    dates = {x.date for i in delta for x in (infos_old.get(i), infos_new.get(i)) if x is not None and x.date}
    nb_new = Neighbourhood(new_list, infos_new)
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
    if len(affected) > max_share * len(current):
        return None

    # 3. link the affected documents over what they read: resolved facts from the state
    # (the resolved documents' from step 1), no extraction loaded
    sub = set(affected).union(*(nb_new.reads(new[i]) for i in affected))
    for attr in ("first_la", "prefix"):
        holder = next((f.id for f in new_list if getattr(f, attr) is not None), None)
        if holder is not None:
            sub.add(holder)
    sub |= set().union(*(nb_new.records_matching(new[i]) for i in sub))
    order = [i for i in current if i in sub]
    names = {i: state.resolved[i] for i in current if i not in resolve and i in state.resolved}
    part, sentences = [], {}
    for i in order:
        if i in resolve:
            part.append(resolved_now[i])
            sentences[i] = exts[i].sentences
        else:  # KG175 when missing or damaged: the build links everything
            facts_i, sentences[i] = state.blobs.get(names[i], whole=i in affected)
            part.append(facts_i)  # context: its organisations, amounts ... decoded if a rule reads them
    for i in resolve:
        names[i] = state.blobs.put(resolved_now[i], exts[i].sentences)
    out = _link_part(part, sentences, [by_id[i] for i in order], infos_new, affected, new)
    digests = {i: state.digests[i] for i in current if i in state.digests and i not in affected}
    return Relinked(out, LinkState(state.header, current, new, digests, names, blobs=state.blobs,
                                   encoded=state.encoded),
                    resolved=len(resolve), linked=len(affected), context=len(sub))
