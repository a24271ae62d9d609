"""Competencies 「能力模型」: the library, models per position, evidence, profiles, gaps."""
