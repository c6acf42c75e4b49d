<#-- Plain-text email footer: same content as the HTML footer in email-layout.ftlh. -->
<#if locale?starts_with("es")>
----------
Este mensaje es información general, no es consejo médico.
<#if program.supportPhone?has_content && program.supportEmail?has_content>
¿Preguntas? Llame al ${program.supportPhone} o escriba a ${program.supportEmail}.
<#elseif program.supportPhone?has_content>
¿Preguntas? Llame al ${program.supportPhone}.
<#elseif program.supportEmail?has_content>
¿Preguntas? Escriba a ${program.supportEmail}.
</#if>
Cambie sus preferencias de correo: ${preferences_url}
Cancele su suscripción: ${unsubscribe_url}
<#if program.website?has_content>
Sitio web: ${link(program.website)}
</#if>

${program.name}
<#if program.postalAddress?has_content>
${program.postalAddress}
</#if>
<#else>
----------
This message is general information, not medical advice.
<#if program.supportPhone?has_content && program.supportEmail?has_content>
Questions? Call ${program.supportPhone} or email ${program.supportEmail}.
<#elseif program.supportPhone?has_content>
Questions? Call ${program.supportPhone}.
<#elseif program.supportEmail?has_content>
Questions? Email ${program.supportEmail}.
</#if>
Change your email preferences: ${preferences_url}
Unsubscribe: ${unsubscribe_url}
<#if program.website?has_content>
Website: ${link(program.website)}
</#if>

${program.name}
<#if program.postalAddress?has_content>
${program.postalAddress}
</#if>
</#if>
