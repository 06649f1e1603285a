import { randomBytes } from 'node:crypto';

/** 64 hex characters, like Docker's container and exec ids. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

const ADJECTIVES = ['admiring', 'brave', 'calm', 'clever', 'eager', 'focused', 'gallant', 'happy', 'jolly',
  'keen', 'loving', 'modest', 'nifty', 'peaceful', 'quirky', 'relaxed', 'serene', 'sharp', 'stoic',
  'tender', 'upbeat', 'vibrant', 'wizardly', 'zealous'];
const NAMES = ['archimedes', 'babbage', 'curie', 'darwin', 'euclid', 'faraday', 'galileo', 'hopper',
  'hypatia', 'kepler', 'lovelace', 'maxwell', 'newton', 'noether', 'pascal', 'ritchie', 'shannon',
  'thompson', 'turing', 'wozniak'];

/** A Docker-style random name such as `brave_turing`. */
export function randomName(): string {
  const pick = (a: string[]): string => a[randomBytes(1)[0]! % a.length]!;
  return `${pick(ADJECTIVES)}_${pick(NAMES)}`;
}

/** Docker's container name rule. */
export const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
