'use client';

import { useState } from 'react';
import { logoSrc } from './values.ts';

/** A template's logo from our own server; a broken one turns into the fallback. */
export function TemplateLogo({ logo, className = 'h-10 w-10' }: { logo?: string; className?: string }) {
  const [broken, setBroken] = useState(false);
  return (
    <img src={broken ? '/templates/fallback.svg' : logoSrc(logo)} alt="" className={`${className} shrink-0 rounded`} onError={() => setBroken(true)} />
  );
}
