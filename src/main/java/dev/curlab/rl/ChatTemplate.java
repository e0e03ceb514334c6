package dev.curlab.rl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Chat messages as plain text for a GPT-2-class policy, which has no chat template: each message on
 * its own line as {@code Role: content} (the role with its first letter upper-cased: {@code System},
 * {@code User}, {@code Assistant}), then a last line {@code Assistant:} for the completion to follow.
 * [{system, "Be brief."}, {user, "2+2?"}] becomes {@code "System: Be brief.\nUser: 2+2?\nAssistant:"}.
 */
public final class ChatTemplate {
    private ChatTemplate() {
    }

    /** The prompt of {@code messages}, a JSON array of {role, content} objects; null when it is not one. */
    public static String render(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode m : messages) {
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (!m.isObject() || role == null || !role.isTextual() || role.textValue().isEmpty()
                    || content == null || !content.isTextual()) {
                return null;
            }
            String r = role.textValue();
            out.append(Character.toUpperCase(r.charAt(0))).append(r.substring(1)).append(": ").append(content.textValue()).append('\n');
        }
        return out.append("Assistant:").toString();
    }
}
