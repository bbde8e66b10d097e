import { defineConfig } from 'vitest/config';

// End-to-end tests: the real program in tmux, the Discord bot against a local double. They race real
// timers, so on a loaded 2-core machine they get one retry (a real bug fails both attempts). Nothing else
// does: a flaky numeric test must fail, not pass on its second try.
const E2E = ['tests/tui/e2e-tmux.test.ts', 'tests/bot/*.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['tests/support/remove-scratch.ts'],
    // Ink renders only its final frame when it believes it runs in CI; the UI tests read every frame.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'], exclude: E2E, retry: 0 } },
      { extends: true, test: { name: 'e2e', include: E2E, retry: 1 } },
    ],
  },
});
