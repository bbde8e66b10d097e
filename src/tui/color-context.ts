// Whether the terminal shows colour. Off under NO_COLOR or on terminals without colour: the gate views
// then fall back to shade characters and the rest of the UI to bold/dim only.
import { createContext, useContext } from 'react';

export const ColorContext = createContext(true);

export function useColor(): boolean {
  return useContext(ColorContext);
}

/** An Ink colour name or hex when colour is on, otherwise undefined (no escape codes at all). */
export function tint(on: boolean, color: string | undefined): string | undefined {
  return on ? color : undefined;
}

export function detectColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : false;
}
