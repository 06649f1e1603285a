'use client';

import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import type { Terminal } from '@xterm/xterm';

export interface TerminalHandle {
  term: Terminal;
  /** Fits the terminal to its box; returns the new size. */
  fit(): { cols: number; rows: number };
}

const THEMES = {
  dark: { background: '#0b0f14', foreground: '#d8dee9', cursor: '#d8dee9', selectionBackground: '#3b4a5e' },
  light: { background: '#fbfcfd', foreground: '#1b2330', cursor: '#1b2330', selectionBackground: '#c5d5ea' },
};

function isDark(): boolean {
  const theme = document.documentElement.dataset.theme;
  return theme === 'dark' || (theme !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches);
}

/**
 * xterm.js in a box that follows its container's size. xterm touches the DOM when it loads,
 * so it is imported in the browser only. `onReady` gets the terminal once it is open.
 */
export function XTerm({ onReady, onResize, className = '' }: {
  onReady: (handle: TerminalHandle) => void | (() => void);
  onResize?: (size: { cols: number; rows: number }) => void;
  className?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const ready = useRef(onReady);
  const resized = useRef(onResize);
  ready.current = onReady;
  resized.current = onResize;

  useEffect(() => {
    let disposed = false;
    let cleanup: (() => void) | undefined;
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !box.current) return;
      const term = new Terminal({
        cursorBlink: true,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace',
        fontSize: 13,
        scrollback: 5000,
        theme: isDark() ? THEMES.dark : THEMES.light,
      });
      const fitAddon = new FitAddon();
      term.loadAddon(fitAddon);
      term.open(box.current);
      const fit = () => {
        try {
          fitAddon.fit();
        } catch {
          // A hidden box has no size; the next resize fits it.
        }
        return { cols: term.cols, rows: term.rows };
      };
      fit();
      const observer = new ResizeObserver(() => {
        const before = `${term.cols}x${term.rows}`;
        const size = fit();
        if (`${size.cols}x${size.rows}` !== before) resized.current?.(size);
      });
      observer.observe(box.current);
      const inner = ready.current({ term, fit });
      cleanup = () => {
        observer.disconnect();
        if (typeof inner === 'function') inner();
        term.dispose();
      };
    })();
    return () => {
      disposed = true;
      cleanup?.();
    };
  }, []);

  // The box takes the terminal's own background so the padding does not frame it.
  return <div ref={box} className={`min-h-0 overflow-hidden rounded-md border border-line bg-[#fbfcfd] p-1 dark:bg-[#0b0f14] ${className}`} data-terminal />;
}
