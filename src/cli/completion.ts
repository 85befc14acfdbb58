// Static completion scripts: commands, TYPE/ prefixes and flags. kubectl ≥1.26 also completes
// plugins through a `kubectl_complete-sidecars` executable; these scripts serve the direct binary.
import { FLAG_TABLE } from './flags.js';
import { SUPPORTED_KINDS } from '../sources/selection.js';
const COMMANDS = ['describe', 'watch', 'version', 'completion'];
/** Every long flag of FLAG_TABLE (flags.ts) that help shows, with the --no- forms. */
const FLAGS = [...new Set(FLAG_TABLE.filter((f) => !f.hidden).flatMap((f) => [`--${f.name}`, ...(f.negatable ? [`--no-${f.name}`] : [])])), '--help'];
const TYPES = SUPPORTED_KINDS.map((k) => `${k}/`);

export function completionScript(shell: string): string {
  const words = [...COMMANDS, ...FLAGS, ...TYPES].join(' ');
  switch (shell) {
    case 'bash':
      return `# kubectl-sidecars bash completion: source <(kubectl-sidecars completion bash)
_kubectl_sidecars() { COMPREPLY=( $(compgen -W "${words}" -- "\${COMP_WORDS[COMP_CWORD]}") ); }
complete -F _kubectl_sidecars kubectl-sidecars
`;
    case 'zsh':
      return `#compdef kubectl-sidecars
# kubectl-sidecars zsh completion: source <(kubectl-sidecars completion zsh)
_kubectl_sidecars() { compadd -- ${words}; }
compdef _kubectl_sidecars kubectl-sidecars
`;
    case 'fish':
      return `# kubectl-sidecars fish completion: kubectl-sidecars completion fish | source
complete -c kubectl-sidecars -f -a "${[...COMMANDS, ...TYPES].join(' ')}"
${FLAGS.map((f) => `complete -c kubectl-sidecars -l ${f.slice(2)}`).join('\n')}
`;
    case 'powershell':
      return `# kubectl-sidecars PowerShell completion: kubectl-sidecars completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName kubectl-sidecars -ScriptBlock {
  param($wordToComplete)
  '${[...COMMANDS, ...FLAGS, ...TYPES].join("','")}' -split ',' | Where-Object { $_ -like "$wordToComplete*" } |
    ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
`;
    default:
      return '';
  }
}
