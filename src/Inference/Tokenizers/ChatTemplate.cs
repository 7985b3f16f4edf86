using System.Text;

namespace P2P.Inference.Tokenizers;

/// <summary>
/// The default chat template (used by the daemon gateway), for models whose tokenizer declares none (the stories models):
/// each message as <c>role: content</c> on its own line, then <c>assistant:</c> for the model to continue.
/// </summary>
public static class ChatTemplate
{
    public static string Render(IReadOnlyList<(string Role, string Content)> messages)
    {
        var text = new StringBuilder();
        foreach (var (role, content) in messages) text.Append(role).Append(": ").Append(content).Append('\n');
        return text.Append("assistant:").ToString();
    }
}
