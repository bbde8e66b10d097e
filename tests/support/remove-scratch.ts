// Setup file (vitest.config.ts): removes the test file's scratch folders when it finishes.
import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch.ts';

afterAll(removeScratchDirs);
