'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { CUSTOM_TEMPLATE_SOURCE, type AppTemplate, type TemplateList } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { Badge } from '../ui/badge.tsx';
import { inputClass } from '../ui/field.tsx';
import { Empty, ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { DeployTemplate } from './deploy-form.tsx';
import { TemplateLogo } from './logo.tsx';
import { TemplateSources } from './sources.tsx';
import { CustomTemplates } from './custom.tsx';
import { useIsAdmin } from '../shell/session.tsx';

const KIND: Record<AppTemplate['type'], string> = { 1: 'Container', 2: 'Swarm stack', 3: 'Compose stack' };

/** The app template catalogue: search, a category filter, cards; a card opens its deploy form. */
export function TemplateCatalogue() {
  const list = useQuery({ queryKey: qk.templates(), queryFn: () => api<TemplateList>('/api/templates') });
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [onlyCustom, setOnlyCustom] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);
  const admin = useIsAdmin();
  const templates = useMemo(() => list.data?.templates ?? [], [list.data]);
  const categories = useMemo(() => [...new Set(templates.flatMap((t) => t.categories))].sort((a, b) => a.localeCompare(b)), [templates]);
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = templates.filter((t) => (!category || t.categories.includes(category)) && (!onlyCustom || t.source === CUSTOM_TEMPLATE_SOURCE)
    && words.every((w) => `${t.title} ${t.description} ${t.categories.join(' ')} ${t.image ?? ''}`.toLowerCase().includes(w)));

  if (list.error) return <ErrorBox error={list.error} what="the templates" />;
  if (!list.data) return <Loading what="the templates" />;
  const template = templates.find((t) => t.id === chosen);
  if (template) return <DeployTemplate key={template.id} template={template} onBack={() => setChosen(null)} />;

  return (
    <div className="space-y-4">
      <PageHeader title="App templates" subtitle="Deploy a ready-made application in a few clicks." />
      {list.data.errors.map((e) => (
        <p key={e.source} role="alert" className="rounded border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger" data-source-error>
          Template source {e.source} could not be loaded: {e.message}
        </p>
      ))}
      {admin && <TemplateSources />}
      {admin && <CustomTemplates />}
      <div className="flex flex-wrap gap-2">
        <input type="search" aria-label="Search templates" placeholder="Search templates" value={search} onChange={(e) => setSearch(e.target.value)} className={`${inputClass} max-w-sm`} />
        <select aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value)} className={`${inputClass} max-w-xs`}>
          <option value="">All categories</option>
          {categories.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <select aria-label="Source" value={onlyCustom ? 'custom' : ''} onChange={(e) => setOnlyCustom(e.target.value === 'custom')} className={`${inputClass} max-w-xs`}>
          <option value="">All sources</option>
          <option value="custom">Custom</option>
        </select>
      </div>
      {shown.length === 0 ? <Empty>No template matches.</Empty> : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {shown.map((t) => (
            <li key={t.id}>
              <button type="button" onClick={() => setChosen(t.id)} data-template={t.title}
                className="flex h-full w-full gap-3 rounded-lg border border-line bg-raised p-3 text-left hover:border-accent focus-visible:border-accent">
                <TemplateLogo logo={t.logo} />
                <span className="min-w-0 space-y-1">
                  <span className="block font-medium">{t.title}</span>
                  <span className="line-clamp-2 block text-sm text-muted">{t.description}</span>
                  <span className="flex flex-wrap gap-1">
                    <Badge tone={t.type === 1 ? 'neutral' : 'warning'}>{KIND[t.type]}</Badge>
                    {t.source === CUSTOM_TEMPLATE_SOURCE && <Badge tone="info">Custom</Badge>}
                    {t.categories.map((c) => <Badge key={c}>{c}</Badge>)}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
