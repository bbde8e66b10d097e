/**
 * Whether splitting products across threads is paying, judged job by job. On a shared machine the other
 * cores may be busy: the helpers then help little and the caller waits for the chunks they took.
 *
 * Each job is scored by its time over what the caller alone would have taken (the caller's own time per
 * chunk × every chunk): 1/n for a perfect split over n threads, 1 when the caller computed every chunk,
 * more when it also waited for a helper. While the running average of the scores is above PAUSE_ABOVE,
 * products stay on one thread for a pause (doubling up to MAX_PAUSE_MS while it lasts); then the helpers
 * are tried again with the average reset. A score counts at most STALL_SCORE, so one helper that was
 * descheduled in the middle of a chunk (which happens to a few jobs per second even on a quiet machine) moves
 * the average by a fraction and never pauses splitting on its own; three in a row after good jobs do (two
 * right after a start or restart, from START). Only speed depends on this.
 */

/** How a job went, as the caller saw it. */
export interface JobOutcome {
  /** Chunks the caller computed, and all chunks of the job. */
  mine: number;
  chunks: number;
  /** Caller's time computing its chunks, and waiting for the helpers' after that (ms). */
  workMs: number;
  waitMs: number;
}

export interface SplitJudge {
  record(job: JobOutcome): void;
  /** True while products should stay on one thread. */
  paused(): boolean;
}

/** Weight of the newest score in the running average. */
const WEIGHT = 1 / 8;
/** The average's value when splitting starts or restarts: between a good split and no help at all. */
const START = 0.75;
const PAUSE_ABOVE = 0.95;
/** Below this (a few good jobs after a start), splitting pays: the next pause starts short again. */
const HEALTHY_BELOW = 0.7;
const STALL_SCORE = 2;
export const MIN_PAUSE_MS = 50, MAX_PAUSE_MS = 2000;

/** The job's time over the caller's estimate of doing it alone (see above), at most STALL_SCORE. */
export function jobScore({ mine, chunks, workMs, waitMs }: JobOutcome): number {
  if (mine === 0) return 0; // the helpers computed everything
  if (mine >= chunks) return Math.min(STALL_SCORE, 1 + waitMs / Math.max(workMs, 1e-9));
  return Math.min(STALL_SCORE, (workMs + waitMs) / ((workMs / mine) * chunks));
}

export function createSplitJudge(now: () => number = () => performance.now()): SplitJudge {
  let avg = START, pauseMs = MIN_PAUSE_MS, pausedUntil = 0;
  return {
    record(job) {
      avg += WEIGHT * (jobScore(job) - avg);
      if (avg < HEALTHY_BELOW) pauseMs = MIN_PAUSE_MS;
      else if (avg > PAUSE_ABOVE) {
        pausedUntil = now() + pauseMs;
        pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
        avg = START;
      }
    },
    paused: () => pausedUntil !== 0 && now() < pausedUntil,
  };
}
