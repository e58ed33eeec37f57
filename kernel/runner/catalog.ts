/** The paper catalog (notebooks/catalog.tsv): which notebook reproduces which paper. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageRoot } from '../paths.js';

export interface Paper {
  id: number;
  slug: string;
  title: string;
  category: string;
  issue: string;
}

export const CATALOG_PATH = join(packageRoot, 'notebooks', 'catalog.tsv');

export function readCatalog(path = CATALOG_PATH): Paper[] {
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split('\t');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${path}: missing column '${name}' (have ${cols.join(', ')})`);
    return i;
  };
  const [id, slug, title, category, issue] = ['id', 'slug', 'title', 'category', 'issue'].map(at);
  return rows.map((line) => {
    const f = line.split('\t');
    return { id: Number(f[id]), slug: f[slug], title: f[title], category: f[category], issue: f[issue] };
  });
}

/** The catalog paper a notebook reproduces: its file name is the paper's slug. */
export function paperFor(notebookPath: string, catalog: Paper[]): Paper | undefined {
  const slug = basename(notebookPath).replace(/\.ipynb$/, '');
  return catalog.find((p) => p.slug === slug);
}

/** Where a paper's notebook lives: notebooks/<category>/<slug>.ipynb. */
export function notebookPathFor(paper: Paper, root = packageRoot): string {
  return join(root, 'notebooks', paper.category, `${paper.slug}.ipynb`);
}
