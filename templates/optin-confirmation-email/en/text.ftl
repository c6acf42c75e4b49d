Thanks for signing up!

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

You are now signed up for spine health tips from ${program.name}.

What you will get:
We will send you up to 4 messages a month. They will cover:
- Signs of spine problems not to ignore
- Why early care matters
- How to book a consultation with a spine specialist

You are in control:
You can change what you get at any time. Update your preferences, or unsubscribe if you no longer want our emails.
Update your preferences: ${preferences_url}
Unsubscribe: ${unsubscribe_url}

Want to talk to a specialist now?
You can book a consultation at any time.
Book a consultation: ${booking_url}

<#include "/partials/email-footer.ftl">
