export async function labCommand(_argv: string[]): Promise<number> { throw new Error('not yet'); }
