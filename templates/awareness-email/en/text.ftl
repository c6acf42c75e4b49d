Back pain that won't go away? Don't wait.

<#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

It is best to get spine problems checked early, before they get worse. Here are three signs not to ignore.

Signs not to ignore:
- Back pain that does not go away
- Pain that spreads into the arms or legs
- Trouble moving around

Why early care matters:
Getting care early can:
- Lower the chance of pain that lasts a long time
- Lead to better results
- Help save on health care costs over time

People who get care sooner often get back to their daily lives more quickly.

Talk to a spine specialist:
Do you or someone you know have any of these signs? Don't wait. Book a consultation with a spine specialist. You can ask questions and learn about your choices.

Book a consultation: ${booking_url}

<#include "/partials/email-footer.ftl">
