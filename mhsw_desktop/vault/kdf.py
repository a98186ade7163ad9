"""Argon2id key derivation: parameters, calibration on the user's machine, derivation."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

#: the floor DESIGN.md sets; parameters read from a key file are never below it
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 1
LANES = 4
SALT_BYTES = 16
KEY_BYTES = 32
#: what calibration aims for on the machine that creates the vault
TARGET_SECONDS = 0.5
#: ceilings for parameters read from a key file: a tampered file must not hang unlock
MAX_ITERATIONS = 64
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_LANES = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters as stored in the key file."""

    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes

    def check(self) -> None:
        """Refuse parameters below the floor or above the ceiling (a tampered file)."""
        if self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS:
            raise ValueError("key-derivation parameters are below the minimum")
        if self.memory_kib > MAX_MEMORY_KIB or self.iterations > MAX_ITERATIONS:
            raise ValueError("key-derivation parameters are above the maximum")
        if not 1 <= self.lanes <= MAX_LANES or len(self.salt) < SALT_BYTES:
            raise ValueError("key-derivation parameters are malformed")

    def with_new_salt(self) -> KdfParams:
        return KdfParams(self.memory_kib, self.iterations, self.lanes, os.urandom(SALT_BYTES))


def derive(secret: bytes, params: KdfParams) -> bytearray:
    """Derive a 256-bit key-encryption key from ``secret``."""
    params.check()
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return bytearray(kdf.derive(secret))


def minimum_params() -> KdfParams:
    """The floor itself (64 MiB, one pass): what tests and benchmarks use for speed."""
    return KdfParams(MIN_MEMORY_KIB, MIN_ITERATIONS, LANES, os.urandom(SALT_BYTES))


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Choose iterations at 64 MiB so that one derivation takes about ``target_seconds``.

    One timed pass at two iterations gives the cost of an iteration; the result is
    rounded and clamped so that a fast machine never goes below the floor.
    """
    probe = KdfParams(MIN_MEMORY_KIB, 2, LANES, os.urandom(SALT_BYTES))
    start = time.perf_counter()
    derive(b"calibration", probe)
    per_iteration = max((time.perf_counter() - start) / 2, 1e-4)
    iterations = round(target_seconds / per_iteration)
    iterations = max(2, min(MAX_ITERATIONS, iterations))
    return KdfParams(MIN_MEMORY_KIB, iterations, LANES, os.urandom(SALT_BYTES))
