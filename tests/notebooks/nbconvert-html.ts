/** Reading the pages `jupyter nbconvert --to html` writes. */

/** The SVG text of each image/svg+xml output of an nbconvert page: inline <svg>, or an <img> with a data: URI. */
export function svgOutputsOf(html: string): string[] {
  return html.split('data-mime-type="image/svg+xml"').slice(1).map((rest) => {
    const head = rest.slice(0, rest.search(/<svg|<img/) + 4);
    if (head.endsWith('<img')) {
      const uri = /<img[^>]*\ssrc="data:image\/svg\+xml;base64,([^"]+)"/.exec(rest)?.[1] ?? '';
      return Buffer.from(uri, 'base64').toString('utf8');
    }
    return rest.slice(rest.indexOf('<svg'), rest.indexOf('</svg>') + 6);
  });
}
