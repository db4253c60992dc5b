"""Scoring of one answer: delivery (pace, pauses, fillers, hedges, repeats) and STAR structure.

``delivery.analyze_delivery`` and ``fillers.detect_fillers`` are the entry points; the
pipeline (``voicemock.pipeline``) puts them together with transcription.
"""
