import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { declinedMessage, type ApprovalPolicy, type Approvals, type CallToApprove } from '../approval/approvalPolicy';
import { describeCall } from '../approval/callDescription';

/** How long a question waits for the person before the call is refused. */
const answerWaitMs = 10 * 60_000;

/**
 * Served, Code Mode asks its client: an MCP elicitation (a form with one yes/no field) tied to the `run` request, so
 * the client shows it where the run is (VS Code: in the chat). A client that cannot elicit gets a refusal naming the
 * setting or flag that approves the call in advance.
 */
export function elicitApprovals(
  server: McpServer,
  policy: ApprovalPolicy,
  request: { requestId: RequestId; signal: AbortSignal },
  refusal: (call: CallToApprove) => string,
): Approvals {
  return {
    policy,
    approveCall: async (call) => {
      if (!server.server.getClientCapabilities()?.elicitation) {
        return refusal(call);
      }
      const { name, effect, args } = describeCall(call);
      const answer = await server.server.elicitInput(
        {
          mode: 'form',
          message: `Code Mode: the script calls ${name}, which ${effect}, with these arguments:\n${args}`,
          requestedSchema: {
            type: 'object',
            properties: {
              allow: { type: 'boolean', title: `Allow ${name}`, description: 'Let this one call reach the server', default: false },
            },
            required: ['allow'],
          },
        },
        { relatedRequestId: request.requestId, signal: request.signal, timeout: answerWaitMs },
      );
      return answer.action === 'accept' && answer.content?.allow === true ? true : declinedMessage;
    },
  };
}
