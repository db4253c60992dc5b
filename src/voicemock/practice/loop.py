"""The practice loop: ask, record, transcribe while recording, score, probe, save — no UI inside.

:class:`PracticeSession` runs one mock round. Everything the candidate sees or does goes through a
:class:`PracticeUI` (callbacks; the CLI implements them with rich), everything heard through a
:class:`~voicemock.audio.tts.Speaker`, everything recorded through a
:class:`~voicemock.audio.recorder.Recorder`.

Per question: speak it (microphone closed), play the cue, record to ``qNN.wav`` while the
:class:`~voicemock.asr.streaming.StreamingTranscriber` transcribes behind the candidate, score the
answer with the same pipeline as ``voicemock score``, show it, save ``session.json``; then one
follow-up probe, then the next question (both chosen by :mod:`.choice`).

Answer files (``--answer-file``) replace the microphone, one per recording round in order: a main
question always takes the next file; a follow-up takes one only when there are more files left than
main questions still to ask, otherwise it is skipped. With answer files the session asks as many
main questions as there are files (or ``count``, whichever is smaller).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Optional, Protocol

from ..asr.streaming import StreamingTranscriber, StreamOptions
from ..audio.recorder import FileRecorder, Recorder, Recording, RecordOptions, SoundDeviceRecorder
from ..audio.tts import SilentSpeaker, Speaker
from ..banks import Bank, Question
from ..errors import DeviceError, StoreError, Terminated, VoicemockError
from ..models import AnswerResult, Session, SessionAnswer, followups_of
from ..sessions.write import audio_name, new_session_folder, now_iso, save_session
from .choice import candidates, follow_up_probe, next_difficulty, next_question

if TYPE_CHECKING:  # pragma: no cover
    from ..asr import Transcriber
    from ..rubric import JudgeOptions

log = logging.getLogger(__name__)

DEFAULT_COUNT = 3  # main questions when neither --count nor answer files say

@dataclass
class PracticeOptions:
    """What ``voicemock practice`` was asked to do."""

    bank: str = "amazon"
    count: Optional[int] = None  # None: 3, or the number of answer files
    difficulty: Optional[str] = None
    category: Optional[str] = None
    tag: Optional[str] = None
    question_ids: list[str] = field(default_factory=list)
    seed: Optional[int] = None
    follow_up: bool = True
    answer_files: list[Path] = field(default_factory=list)
    out: Optional[Path] = None  # the recordings root; a session folder is created inside
    record: RecordOptions = field(default_factory=RecordOptions)
    stream: StreamOptions = field(default_factory=StreamOptions)
    judge: str = "offline"  # offline | llm
    judge_options: Optional[JudgeOptions] = None  # for the LLM judge
    realtime_files: bool = False  # replay answer files at speaking speed (benchmarks)
    demo: bool = False  # the built-in sample answer (voicemock demo): kept out of history by default
    think_s: float = 0.0  # time to think after the question, before recording (Enter starts earlier)
    feedback: Literal["each", "end"] = "each"  # feedback after each question (and its probe), or all at the end

    def settings(self) -> dict:
        """The options as saved in session.json (relative/basename paths only)."""
        return {
            "count": self.count, "difficulty": self.difficulty, "category": self.category, "tag": self.tag,
            "question_ids": list(self.question_ids), "seed": self.seed, "follow_up": self.follow_up,
            "answer_files": [Path(p).name for p in self.answer_files], "max_answer_s": self.record.max_s,
            "end_on_silence_s": self.record.end_on_silence_s, "judge": self.judge,
            "think_s": self.think_s, "feedback": self.feedback,
            **({"llm": self.judge_options.describe()} if self.judge_options is not None else {}),
        }


class PracticeUI(Protocol):
    """What the candidate sees: the callbacks the loop makes, in order, for every answer."""

    def session_started(self, folder: Path, session: Session) -> None: ...
    def asking(self, number: int, total: int, question: Question, text: str, kind: str) -> None: ...
    def speaker_failed(self, reason: str) -> None: ...
    def recording(self, path: Path, stop: threading.Event, options: RecordOptions, from_file: bool) -> None: ...
    def level(self, level: float, elapsed: float) -> None: ...
    def recorded(self, recording: Recording) -> None: ...
    def feedback(self, answer: SessionAnswer, latency_s: float) -> None: ...
    def feedback_update(self, answer: SessionAnswer) -> None: ...
    def skipped_follow_up(self, reason: str) -> None: ...
    def index_failed(self, reason: str) -> None: ...
    def working(self, what: str) -> None: ...
    def think(self, seconds: float) -> None: ...
    def offer_continue(self, recording: Recording) -> bool: ...
    def scored(self, answer: SessionAnswer, latency_s: float) -> None: ...
    def between(self, question: Question, last: bool) -> None: ...


class QuietUI:
    """A :class:`PracticeUI` that shows nothing (scripts, benchmarks; tests subclass it)."""

    def session_started(self, folder: Path, session: Session) -> None: ...
    def asking(self, number: int, total: int, question: Question, text: str, kind: str) -> None: ...
    def speaker_failed(self, reason: str) -> None: ...
    def recording(self, path: Path, stop: threading.Event, options: RecordOptions, from_file: bool) -> None: ...
    def level(self, level: float, elapsed: float) -> None: ...
    def recorded(self, recording: Recording) -> None: ...
    def feedback(self, answer: SessionAnswer, latency_s: float) -> None: ...
    def feedback_update(self, answer: SessionAnswer) -> None: ...
    def skipped_follow_up(self, reason: str) -> None: ...
    def index_failed(self, reason: str) -> None: ...
    def working(self, what: str) -> None: ...
    def think(self, seconds: float) -> None: ...
    def offer_continue(self, recording: Recording) -> bool:
        return False
    def scored(self, answer: SessionAnswer, latency_s: float) -> None: ...
    def between(self, question: Question, last: bool) -> None: ...


@dataclass
class PracticeOutcome:
    folder: Path
    session: Session
    interrupted: bool = False
    stopped_reason: Optional[str] = None  # "disk_full", ...
    signal: Optional[int] = None  # SIGTERM or SIGHUP ended it (interrupted too)
    latencies_s: list[float] = field(default_factory=list)  # end of answer -> feedback ready


# --- the loop -------------------------------------------------------------------------------------


class PracticeSession:
    """One practice session; :meth:`run` returns where it was saved."""

    def __init__(
        self,
        options: PracticeOptions,
        *,
        transcriber: Transcriber,
        speaker: Speaker | None = None,
        ui: PracticeUI | None = None,
        recorder: Recorder | None = None,
        bank: Bank | None = None,
        scorer: Callable[..., AnswerResult] | None = None,
    ) -> None:
        from ..banks import load_bank

        self.options = options
        self.transcriber = transcriber
        self.speaker: Speaker = speaker or SilentSpeaker()
        self.ui: PracticeUI = ui or QuietUI()
        self.recorder = recorder  # None: the microphone (or the answer files)
        self.bank = bank or load_bank(options.bank)
        self.rng = random.Random(options.seed)
        self._files = list(options.answer_files)
        self._save_lock = threading.Lock()
        self._judge_threads: list[threading.Thread] = []
        self._save_errors: list[StoreError] = []  # saves that failed in a judge thread (the final save retries)
        self._scorer = scorer
        self.folder: Optional[Path] = None
        self.session: Optional[Session] = None
        self.latencies: list[float] = []
        self._index_warned = False
        self._held: list[tuple[Question, list[SessionAnswer]]] = []  # feedback held for the end

    # --- public -------------------------------------------------------------------------------

    def run(self) -> PracticeOutcome:
        opts = self.options
        plan = self._plan()
        self.transcriber.source()  # a bad model setting fails here, before anything is recorded
        if self.recorder is None and not self._files:  # the microphone: check it before any folder exists
            from ..audio.devices import check_input_device

            check_input_device(opts.record.device)
        threading.Thread(target=self._warm_up, name="voicemock-load", daemon=True).start()
        root = opts.out if opts.out is not None else Path("recordings")
        self.folder = new_session_folder(root, self.bank.name)
        self.session = Session(
            id=self.folder.name, bank=self.bank.name, started_at=now_iso(), settings=opts.settings(),
            asr_model=self.transcriber.model_name, judge=opts.judge, demo=opts.demo,
        )
        self.session.speaker = getattr(self.speaker, "description", None) or getattr(self.speaker, "name", None)
        from .. import __version__

        self.session.voicemock_version = __version__
        self._save()
        self.ui.session_started(self.folder, self.session)
        outcome = PracticeOutcome(self.folder, self.session)
        final_error: StoreError | None = None
        try:
            self._loop(plan, outcome)
        except KeyboardInterrupt as exc:
            outcome.interrupted = True
            if isinstance(exc, Terminated):  # SIGTERM/SIGHUP: save and go; the WAV stays for review
                outcome.signal = exc.signum
                for answer in self.session.answers:
                    if not answer.complete and answer.result is None and answer.audio:
                        answer.ended_by = answer.ended_by or "interrupted"
            else:
                self._score_cut_answers()
        except VoicemockError as exc:  # say where the answers recorded so far are: they are kept
            recorded = [self.folder / a.audio for a in self.session.answers if a.audio]
            if any(w.is_file() and w.stat().st_size > 44 for w in recorded) and str(self.folder) not in str(exc):
                exc.args = (f"{exc} (the answers recorded so far are kept in {self.folder})", *exc.args[1:])
            raise
        finally:
            try:
                self._wait_judges(timeout=None if not outcome.interrupted else 0.1)
            except KeyboardInterrupt:  # Ctrl-C while the LLM rubric is awaited: the session still ends cleanly
                outcome.interrupted = True
            self.session.ended_at = now_iso()
            try:
                self._save()
            except StoreError as exc:  # e.g. disk full: the error being raised already says so
                log.error("%s", exc)
                final_error = exc
        outcome.latencies_s = list(self.latencies)
        if final_error is not None:  # the session's last state is not on disk: no "Session saved", exit 1
            raise final_error
        return outcome

    # --- internals ----------------------------------------------------------------------------

    def _score_cut_answers(self) -> None:
        """Score the answer Ctrl-C cut short from the audio already on disk (it says it was cut).
        A second Ctrl-C skips it; the audio stays either way."""
        assert self.session is not None and self.folder is not None
        for answer in self.session.answers:
            wav = self.folder / (answer.audio or "")
            if answer.complete or answer.result is not None or not answer.audio or not wav.is_file():
                continue
            # a recording that had ended by itself (Enter, end of file, time up) lost only its scoring
            # to Ctrl-C: once scored here it is complete, not "cut short"
            whole = answer.ended_by is not None and answer.ended_by not in ("interrupted", "disk_full")
            answer.ended_by = answer.ended_by or "interrupted"
            try:
                self.ui.working("scoring the answer that was cut (Ctrl-C again to skip)")
                from ..audio.decode import load_audio
                from ..audio.vad import speech_segments

                audio = load_audio(wav)
                answer.duration_s = round(len(audio) / 16000, 2)
                if not speech_segments(audio):
                    continue
                transcript = self.transcriber.transcribe(audio)
                question = next((q for q in self.bank.questions if q.id == answer.question_id), None)
                answer.result = self._score(transcript, audio, answer.audio,
                                            question if answer.kind == "main" else answer.question)
                answer.complete = whole
                self._save()
            except KeyboardInterrupt:
                log.info("scoring the cut answer %s skipped", answer.audio)
                return
            except VoicemockError as exc:
                log.info("the cut answer %s could not be scored: %s", answer.audio, exc)

    def _plan(self) -> tuple[list[Question], list[Question], int]:
        """(preset questions to ask in order, pool to choose from, number of main questions)."""
        opts = self.options
        preset = [self.bank.question(qid) for qid in opts.question_ids]
        pool = [] if preset else candidates(self.bank, opts)
        if opts.count is not None:
            count = opts.count
        else:
            count = len(self._files) or len(preset) or DEFAULT_COUNT
        count = min(count, len(preset) if preset else len(pool))
        if self._files:
            if len(self._files) < count:
                log.info("%d answer file(s) for %d question(s): asking %d", len(self._files), count, len(self._files))
            count = min(count, len(self._files))
        return preset, pool, max(count, 0)

    def _warm_up(self) -> None:
        try:
            self.transcriber.load()
        except Exception as exc:  # reported again (and raised) when the first answer is transcribed
            log.info("loading the speech model failed: %s", exc)

    def _loop(self, plan, outcome: PracticeOutcome) -> None:
        preset, pool, total = plan
        asked: set[str] = set()
        results: list[AnswerResult] = []
        target = self.options.difficulty or "medium"
        for n in range(1, total + 1):
            if preset:
                q = preset[n - 1]
            else:
                q = next_question(pool, asked, results, target, self.rng)
                if q is None:
                    break
            asked.add(q.id)
            answer = self._round(n, total, q, q.text, "main", outcome)
            if answer.result is not None:
                results.append(answer.result)
            target = next_difficulty(target, answer.result, fixed=bool(self.options.difficulty))
            shown = [answer]
            if self.options.follow_up:
                if self.options.answer_files and len(self._files) <= total - n:
                    self.ui.skipped_follow_up("no spare answer file for the follow-up")
                else:  # like an interviewer: the probe comes before any feedback
                    probe, reason = follow_up_probe(q, answer.result, self.rng)
                    shown.append(self._round(n, total, q, probe, "followup", outcome, probe_reason=reason,
                                             main=answer))
            if self.options.feedback == "each":
                self._show(q, shown)
                self.ui.between(q, last=n == total)
            else:
                self._held.append((q, shown))
        for q, shown in self._held:  # --feedback end: everything after the last answer
            self._show(q, shown)
            self.ui.between(q, last=q is self._held[-1][0])
        self._held.clear()

    def _show(self, q: Question, answers: list[SessionAnswer]) -> None:
        for a in answers:
            if a.result is not None:
                self.ui.feedback(a, a.feedback_latency_s or 0.0)
        for a in answers:
            self._judge_later(a, q if a.kind == "main" else a.question)

    def _round(self, n, total, q: Question, text: str, kind, outcome, probe_reason=None,
               main: SessionAnswer | None = None) -> SessionAnswer:
        """Ask, record, score and save one answer (StoreError when the disk is full).

        A follow-up is judged against its probe and completes ``main``'s question (one combined
        result, :func:`~voicemock.rubric.followup.complete_question`)."""
        assert self.session is not None and self.folder is not None
        self.ui.asking(n, total, q, text, kind)
        self._speak(text)
        from_file = bool(self._files)
        recorder = self.recorder or (
            FileRecorder(self._files.pop(0), realtime=self.options.realtime_files) if from_file else SoundDeviceRecorder()
        )
        if not from_file:
            self.ui.think(self.options.think_s)
            self._cue()
        name = audio_name(n, kind)
        answer = SessionAnswer(question_id=q.id, question=text, kind=kind, audio=name, started_at=now_iso(), complete=False)
        answer.probe_reason = probe_reason
        self.session.answers.append(answer)
        self._save()  # a kill from here on leaves session.json pointing at the partial WAV
        stream = StreamingTranscriber(self.transcriber, self.options.stream, hesitations=self._hesitation_frames())
        stop = threading.Event()
        self.ui.recording(self.folder / name, stop, self.options.record, from_file)
        try:
            rec = recorder.record(self.folder / name, options=self.options.record, on_block=stream.feed,
                                  on_level=self.ui.level, stop=stop)
            while rec.ended_by == "silence" and not from_file and self.ui.offer_continue(rec):
                stop = threading.Event()  # the candidate was only thinking: go on with the same answer
                self.ui.recording(self.folder / name, stop, self.options.record, from_file)
                rec = recorder.record(self.folder / name, options=self.options.record, on_block=stream.feed,
                                      on_level=self.ui.level, stop=stop, append=True)
        except BaseException:
            stream.close()
            answer.ended_at = now_iso()
            self._save()
            raise
        ended = time.perf_counter()
        answer.ended_at = now_iso()
        answer.duration_s = round(rec.duration_s, 2)
        answer.ended_by = rec.ended_by
        self.ui.recorded(rec)
        if rec.ended_by == "disk_full":
            stream.close()
            outcome.stopped_reason = "disk_full"
            self._save()
            raise StoreError(
                f"the disk is full: recording stopped. What was recorded is kept in {self.folder} "
                f"({name}, {rec.duration_s:.1f} s). Free some space and start a new session."
            )
        self.ui.working("transcribing the last words")
        transcript = stream.finish()
        self.ui.working("scoring delivery and structure")
        st = stream.stats
        log.info("%s: %d chunk(s) transcribed while recording, tail %.1f s, finish took %.2f s", name,
                 sum(1 for c in st.chunks if not c.skipped), st.tail_s, st.finish_s)
        answer.result = self._score(transcript, stream.audio(), name, q if kind == "main" else text,
                                    speech=stream.speech(),
                                    frames=stream.hesitations.frames() if stream.hesitations else None)
        if main is not None:
            from ..rubric.followup import complete_question

            complete_question(main, [a for a in followups_of(self.session.answers, main) if a.result is not None], q)
        answer.complete = True
        latency = time.perf_counter() - ended
        answer.feedback_latency_s = round(latency, 3)
        self.latencies.append(latency)
        self._save()
        self.ui.scored(answer, latency)
        return answer

    def _speak(self, text: str) -> None:
        try:
            self.speaker.say(text)
        except DeviceError as exc:
            self.ui.speaker_failed(str(exc))
            self.speaker = SilentSpeaker(str(exc))

    def _cue(self) -> None:
        try:
            self.speaker.cue()
        except DeviceError as exc:
            log.info("no cue: %s", exc)

    def _hesitation_frames(self):
        """Per-chunk hesitation probabilities for the streaming worker (None with a custom scorer)."""
        if self._scorer is not None:
            return None
        from ..scoring.hesitations import StreamingFrames, default_encoder
        from ..scoring.pipeline import filler_encoder

        return StreamingFrames(filler_encoder(self.transcriber) or default_encoder())

    def _score(self, transcript, audio, source: str, question, speech=None, frames=None) -> AnswerResult:
        """The same pipeline as ``voicemock score``, graded by the offline judge first; ``speech``
        is the VAD the streaming transcriber already computed (not run again at the end)."""
        if self._scorer is not None:
            return self._scorer(transcript, audio, source=source, question=question, asr_model=self.transcriber.model_name)
        from ..rubric import JudgeOptions, judge_answer, make_judge
        from ..scoring.pipeline import filler_encoder, score_answer

        result = score_answer(transcript, audio, source=source, question=question, judge=None,
                              asr_model=self.transcriber.model_name, speech=speech,
                              encoder=filler_encoder(self.transcriber), frames=frames)
        if result.structure is not None:
            result.rubric = judge_answer(make_judge(JudgeOptions(kind="offline")), question=question,
                                         transcript=result.transcript, structure=result.structure,
                                         delivery=result.delivery)
        return result

    def _judge_later(self, answer: SessionAnswer, question) -> None:
        """The LLM rubric, when configured, arrives after the offline one and replaces it."""
        result = answer.result
        if self.options.judge != "llm" or result is None or result.structure is None or answer.kind == "followup":
            return  # a follow-up's score is its question's combined one
        structure = result.structure

        def work() -> None:
            from ..rubric import JudgeOptions, judge_answer, make_judge

            try:
                judge = make_judge(self.options.judge_options or JudgeOptions(kind="llm"))
                rubric = judge_answer(judge, question=question, transcript=result.transcript,
                                      structure=structure, delivery=result.delivery)
            except Exception as exc:  # keep the offline rubric, say why
                log.info("LLM judge failed, keeping the offline rubric: %s", exc)
                if result.rubric is not None:
                    result.rubric.llm_error = str(exc)
            else:
                result.rubric = rubric
            try:
                self._save()
            except StoreError as exc:  # the run ends with it (run()), not with a thread's traceback
                self._save_errors.append(exc)
            self.ui.feedback_update(answer)

        t = threading.Thread(target=work, name="voicemock-judge", daemon=True)
        t.start()
        self._judge_threads.append(t)

    def _wait_judges(self, timeout: Optional[float]) -> None:
        for t in self._judge_threads:
            t.join(timeout)

    def _save(self) -> None:
        assert self.session is not None and self.folder is not None
        with self._save_lock:
            save_session(self.folder, self.session)
            answers = self.session.answers
            if answers and (self.session.ended_at or all(a.result is not None for a in answers)):
                from ..history.index import try_index  # keep the history index current; never fatal

                problem = try_index(self.folder)
                if problem and not self._index_warned:  # the session on disk is the truth: warn once
                    self._index_warned = True
                    log.info("session saved, but the history index was not updated: %s", problem)
                    self.ui.index_failed(problem)
