// @ts-check
const vscode = require('vscode');

/** @param {vscode.ExtensionContext} context */
exports.activate = (context) => {
  const channel = vscode.window.createOutputChannel('Sample', { log: true });
  channel.info('activated');
  context.subscriptions.push(
    channel,
    vscode.commands.registerCommand('sample.hello', () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.name ?? '(none)';
      channel.info(`hello ${folder}`);
      void vscode.window.showInformationMessage(`Hello from ${folder}`);
      return `hello ${folder}`;
    }),
  );
};
