import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['tests/support/remove-scratch.ts'],
    // Terminal and Discord end-to-end tests race real timers; on a loaded 2-core machine one retry keeps a
    // slow frame from reading as a failure (a real bug fails both attempts).
    retry: 1,
    // Ink renders only its final frame when it believes it runs in CI; the UI tests read every frame.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
