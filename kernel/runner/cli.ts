export async function runCommand(_argv: string[]): Promise<number> { throw new Error('not yet'); }
export async function reproductionsCommand(_argv: string[]): Promise<number> { throw new Error('not yet'); }
export async function notebookCommand(_argv: string[]): Promise<number> { throw new Error('not yet'); }
