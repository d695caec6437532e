/**
 * How the user started the CLI, so that help examples and hints print a command they can run:
 * `pnpm convnets …` from a checkout (the root package.json's script), `convnets …` when installed.
 */

/** The command that runs the CLI here: 'pnpm convnets', 'npm run convnets --', 'yarn convnets' or 'convnets'. */
export function invokedAs(env: NodeJS.ProcessEnv = process.env): string {
  // Package managers set these while they run a package.json script.
  if (env.npm_lifecycle_event !== 'convnets') return 'convnets';
  const agent = (env.npm_config_user_agent ?? '').split('/')[0];
  if (agent === 'pnpm') return 'pnpm convnets';
  if (agent === 'yarn') return 'yarn convnets';
  if (agent === 'bun') return 'bun run convnets';
  return 'npm run convnets --';
}

const COMMAND_LINE = /\bconvnets(?= (?:train|eval|predict|summary|data)\b| <command>)/g;

/** Text with every `convnets <command>` command line rewritten to start as this CLI was invoked. */
export function asInvoked(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const prog = invokedAs(env);
  return prog === 'convnets' ? text : text.replace(COMMAND_LINE, prog);
}
