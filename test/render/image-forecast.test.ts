/**
 * The images a page's Markdown is forecast to publish, before it renders, are the ones rendering it asks to
 * publish: nothing more (each would be a request the build did not need) and, for the forms written here,
 * nothing less.
 */
import { describe, expect, it } from 'vitest';
import { forecastImages } from '../../src/render/image-forecast.ts';
import { renderJob } from '../../src/render/render-job.ts';
import type { RenderContext } from '../../src/render/types.ts';
import { context, doc } from './helpers.ts';

/** What rendering the page asks to publish, in the order asked. */
async function publishedByRendering(markdown: string, filePath: string): Promise<string[]> {
  const asked: string[] = [];
  const ctx: RenderContext = { ...context(filePath), publishAsset: async (repo, p) => (asked.push(`${repo}:${p}`), `assets/files/0123456789abcdef-${p.split('/').pop()}`) };
  await renderJob(doc(markdown, filePath), ctx, false);
  return [...new Set(asked)];
}

const forecast = (markdown: string, filePath: string) => forecastImages(markdown, context(filePath)).map((t) => `${t.repo}:${t.path}`);

const PAGES: [string, string][] = [
  [
    'docs/setup.md',
    [
      '# Setup',
      '![Diagram](img/diagram.png "the flow") and ![logo](<img/logo.svg>)',
      '[the diagram, full size](./img/diagram.png#top) and [the logo as a file](img/logo.svg)',
      '<img src="/docs/img/big.png" width="200"> <img alt="missing" src="img/none.png">',
      '<picture><source srcset="img/diagram.png 1x, img/logo.svg 2x"><img src="img/diagram.png"></picture>',
      '![by reference][shot] [unused]: img/big.png',
      '',
      '[shot]: img/diagram.png',
      '[unused]: img/logo.svg',
      '[never used]: img/big.png',
      '',
      '```markdown',
      '![inside a fence](img/big.png)',
      '```',
      '',
      '![elsewhere](https://example.org/x.png) ![other repository](../../gadget/docs/shot.png) [a page](guide/install.md)',
    ].join('\n'),
  ],
  ['docs/guide/install.md', '![up and over](../img/diagram.png) <img src=../img/logo.svg>\n\n~~~\n<img src="../img/big.png">\n~~~\n'],
  ['README.md', '# Widget\n\nNo images here, only [a link](docs/setup.md).\n'],
];

describe('forecastImages', () => {
  it.each(PAGES)('%s: forecasts exactly what rendering publishes', async (filePath, markdown) => {
    expect(forecast(markdown, filePath).sort()).toEqual((await publishedByRendering(markdown, filePath)).sort());
  });

  it('reads images, raster links, used definitions and HTML sources; not fences, unused definitions or SVG links', () => {
    expect(forecast(PAGES[0]![1], 'docs/setup.md')).toEqual(['acme/widget:docs/img/diagram.png', 'acme/widget:docs/img/logo.svg', 'acme/widget:docs/img/big.png']);
    expect(forecast('[the logo as a file](img/logo.svg)\n\n[unused]: img/diagram.png\n', 'docs/setup.md')).toEqual([]);
    expect(forecast('```\n![x](img/diagram.png)\n```\n', 'docs/setup.md')).toEqual([]);
  });
});
