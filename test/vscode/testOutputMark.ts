// The workbench hands test output to codeAutomationLog mixed with its own logs, one
// message per console call with its arguments unformatted. Test output is pre-formatted
// and starts with this mark, so the runner can print exactly the tests' lines.
export const testOutputMark = '[vscode-test] ';
