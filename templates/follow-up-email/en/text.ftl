Just checking in

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

We wrote to you a while ago about spine health. We wanted to follow up, with no pressure.

Back pain that does not go away, pain that spreads into the arms or legs, and trouble moving are signs not to ignore. If you ever notice them, a spine specialist can help.

When you are ready, you can book a consultation here:
${booking_url}

Want fewer emails, or none at all? You can change your preferences or unsubscribe at any time.
Change your preferences: ${preferences_url}
Unsubscribe: ${unsubscribe_url}

<#include "/partials/email-footer.ftl">
