// The admin's periodic task form (django-celery-beat): the chosen crontab's reading in words under its help text.
(function () {
  const $ = django.jQuery;
  const readableCrontabs = JSON.parse($("#readable-crontabs").text());
  const help = $(".field-crontab .help");
  const originalHelp = help.text();
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    help.text(originalHelp).append($("<br>"), document.createTextNode(readableCrontabs[$("#id_crontab").val()] || ""));
  });
})();
