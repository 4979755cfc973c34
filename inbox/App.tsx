import { useApp } from "./context.js";
import { SignIn } from "./screens/SignIn.js";
import { WorkspaceScreen } from "./screens/Workspace.js";

/** Sign-in until there is a session, then the workspace; a new sign-in gets a fresh workspace. */
export function App() {
  const { session } = useApp();
  if (session.restoring.value) return <p class="splash" role="status">…</p>;
  const client = session.client.value;
  return client ? <WorkspaceScreen key={client.token} client={client} /> : <SignIn />;
}
