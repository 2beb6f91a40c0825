// The local explorer's whole client: mounts GraphiQL (its UMD build, loaded before this script from the
// gateway itself, with React's) on this gateway's /graphql, and points the "Open in Apollo Sandbox" link at
// this gateway. src/dev/explorer-page.ts serves it outside production only. Without GraphiQL (not installed)
// the page already says so: only the link is filled in.

const GRAPHQL_URL = '/graphql';

/** Where a first visit starts; GraphiQL then keeps the user's own tabs in localStorage. */
const DEFAULT_QUERY = `# The schema is in the Docs pane (book icon).
# Run with the play button or Ctrl-Enter.
# In local mode, codes show on /demo.

query ServiceInfo {
  serviceInfo {
    name
    challengeMode
  }
}

# mutation Resend {
#   resendConfirmationCode(input: { username: "demo@example.com" }) {
#     codeDeliveryDetails { destination deliveryMedium attributeName }
#   }
# }
`;

const sandbox = document.getElementById('sandbox-link');
if (sandbox) {
  const endpoint = new URL(GRAPHQL_URL, window.location.href).href;
  sandbox.href = `${sandbox.href}?endpoint=${encodeURIComponent(endpoint)}`;
}

const container = document.getElementById('graphiql');
const { GraphiQL, React, ReactDOM } = globalThis;
if (container && GraphiQL && React && ReactDOM) {
  const fetcher = GraphiQL.createFetcher({ url: GRAPHQL_URL });
  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: true,
    }),
  );
}
