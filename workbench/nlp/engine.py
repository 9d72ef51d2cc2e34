"""Running the suggesters over documents: one pass of the pipeline, every suggester per doc.

The engine only computes; it never touches a project. Its results are handed to whoever
writes them (the command line right away, the window from its main thread), so the pipeline
can run in a worker thread, or in several processes with spaCy's `n_process`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from workbench.core.codebook import Codebook
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.core.suggestions import DocumentProposals, PipelineInfo
from workbench.nlp.pipelines import LoadedPipeline
from workbench.nlp.suggester import Suggester, SuggesterUnavailable, doc_text, word_count

# Components that split sentences without a parse.
_SENTENCE_COMPONENTS = {"sentencizer", "senter"}
# Documents per `nlp.pipe` batch: small, so each finished document is written soon.
BATCH_SIZE = 8


@dataclass
class DocumentResult:
    document_id: int
    words: int
    proposals: dict[str, DocumentProposals] = field(default_factory=dict)


class SuggestionEngine:
    def __init__(self, pipeline: LoadedPipeline, suggesters: Sequence[Suggester],
                 codebook: Codebook) -> None:
        self.pipeline = pipeline
        self.ready: list[Suggester] = []
        self.unavailable: dict[str, str] = {}
        self.notes: list[str] = list(pipeline.notes)
        for suggester in suggesters:
            try:
                self.notes.extend(suggester.prepare(pipeline, codebook))
            except SuggesterUnavailable as why:
                self.unavailable[suggester.name] = str(why)
            else:
                self.ready.append(suggester)
        # Recorded with every suggestion: which pipeline (and version) produced it.
        self.pipelines: dict[str, PipelineInfo] = {
            s.name: s.pipeline_info(pipeline.info) for s in self.ready
        }

    def disabled_components(self) -> list[str]:
        """Pipeline components no ready suggester needs (skipped for speed).

        Tokens and sentences always survive: the pipeline's sentencizer or senter when it
        runs one, else its parser (trained pipelines such as `en_core_web_sm` leave the
        senter off and split sentences with the parser), with the components they listen to.
        """
        if any(s.needs_analysis for s in self.ready):
            return []
        nlp = self.pipeline.nlp
        keep = {name for name in nlp.pipe_names if name in _SENTENCE_COMPONENTS}
        if not keep and "parser" in nlp.pipe_names:
            keep.add("parser")
        # A shared embedding layer (tok2vec, transformer) feeds the components listening to it.
        keep |= {name for name, component in nlp.pipeline
                 if keep & set(getattr(component, "listening_components", ()))}
        return [name for name in nlp.pipe_names if name not in keep]

    def run(
        self,
        items: Iterable[tuple[int, str]],
        *,
        total: int = 0,
        n_process: int = 1,
        batch_size: int = BATCH_SIZE,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> Iterator[DocumentResult]:
        """Yield the proposals of every ready suggester for each (document id, text)."""
        if not self.ready:
            return
        nlp = self.pipeline.nlp
        docs = nlp.pipe(
            ((text, document_id) for document_id, text in items), as_tuples=True,
            batch_size=batch_size, n_process=max(1, n_process),
            disable=self.disabled_components(),
        )
        done = 0
        try:
            for doc, document_id in docs:
                if cancel is not None:
                    cancel.check()
                result = DocumentResult(document_id, word_count(doc_text(doc)))
                for suggester in self.ready:
                    proposals = DocumentProposals(document_id)
                    suggester.propose(doc, proposals)
                    result.proposals[suggester.name] = proposals
                done += 1
                progress(done, total, f"document {done}")
                yield result
        finally:
            # Stops spaCy's worker processes, when there are any, before returning.
            docs.close()  # type: ignore[attr-defined]  # nlp.pipe returns a generator
